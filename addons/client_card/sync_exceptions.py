# This file is part of the insurance intermediary platform.
from trytond.exceptions import UserError


class DecisionAppendOnly(UserError):
    pass


class ImportRefused(UserError):
    pass
