# This file is part of the insurance intermediary platform.
from trytond.tests.test_tryton import ModuleTestCase


class PortalTestCase(ModuleTestCase):
    "Test the portal module"
    module = 'portal'


del ModuleTestCase
