# This file is part of the insurance intermediary platform.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class CardValidationError(ValidationError):
    "A value of the card breaks a rule; ``field`` names it."

    def __init__(self, message, field=None, **kwargs):
        super().__init__(message, **kwargs)
        self.field = field


class CardHistoryImmutable(UserError):
    pass


class CardIncomplete(UserError):
    pass


class CardStateError(UserError):
    pass
