# This file is part of the insurance intermediary platform.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.portal.exceptions import (  # noqa: F401 (shared)
    VersionPublishedError, VersionPublishError)


class RecordImmutableError(AccessError):
    pass


class RecordAnswerError(ValidationError):
    pass


class ConsentPendingError(UserError):
    pass
