# This file is part of the insurance intermediary platform.
from trytond.i18n import gettext


class AppendOnlyMixin:
    """Evidence: records are created, then never written nor deleted.

    ``_append_only_error`` is the exception class and the message id raised
    on any attempt, for everyone, administrators included."""
    __slots__ = ()
    _append_only_error = None

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode in {'write', 'delete'} and records:
            error, message = cls._append_only_error
            raise error(gettext(message))
