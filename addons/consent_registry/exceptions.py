# This file is part of the insurance intermediary platform.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class VersionPublishError(ValidationError):
    pass


class VersionPublishedError(AccessError):
    pass


class RecordImmutableError(AccessError):
    pass


class RecordAnswerError(ValidationError):
    pass


class ConsentPendingError(UserError):
    pass
