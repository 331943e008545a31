# This file is part of the insurance intermediary platform.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class IdentityChangeError(ValidationError):
    pass


class IdentityChangeDecidedError(AccessError):
    pass


class SignupReadOnlyError(AccessError):
    pass


class SMSError(UserError):
    pass


class VersionPublishError(ValidationError):
    pass


class VersionPublishedError(AccessError):
    pass
