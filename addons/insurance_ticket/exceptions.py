# This file is part of the insurance intermediary platform.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class InvalidFiscalCode(ValidationError):
    pass


class InvalidRUINumber(ValidationError):
    pass


class MissingOldPolicy(ValidationError):
    pass


class PolicyNotPdf(ValidationError):
    pass


class MissingQuestionnaire(ValidationError):
    pass


class MissingBrokerage(ValidationError):
    pass


class MissingEmployee(ValidationError):
    pass


class PortalActionDenied(AccessError):
    pass


class AppendOnly(AccessError):
    pass


class TicketEnded(UserError):
    pass


class SignatureCodeInvalid(UserError):
    pass


class SignatureCodeThrottled(UserError):
    pass


class SignatureLocked(UserError):
    pass


class BrokenEvidenceChain(UserError):
    pass
