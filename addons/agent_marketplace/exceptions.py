# This file is part of the insurance intermediary platform.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class InvalidPostalCode(ValidationError):
    pass


class InvalidPhone(ValidationError):
    pass


class InvalidLicence(ValidationError):
    pass


class RejectionReasonMissing(ValidationError):
    pass


class AgentNotActive(AccessError):
    pass


class NotDispatched(AccessError):
    pass


class InsurerAlreadyAnswered(UserError):
    pass


class AgentAlreadyAnswered(UserError):
    pass


class RequestClosed(UserError):
    pass


class PhoneNotVerified(UserError):
    pass


class EndReasonMissing(ValidationError):
    pass


class MissingAccount(UserError):
    pass
