# This file is part of the insurance intermediary platform.
from trytond.model.exceptions import ValidationError


class InvalidFiscalCode(ValidationError):
    pass
