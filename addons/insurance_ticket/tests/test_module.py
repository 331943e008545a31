# This file is part of the insurance intermediary platform.
from trytond.tests.test_tryton import ModuleTestCase


class InsuranceTicketTestCase(ModuleTestCase):
    "Test the insurance_ticket module"
    module = 'insurance_ticket'


del ModuleTestCase
