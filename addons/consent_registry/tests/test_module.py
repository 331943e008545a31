# This file is part of the insurance intermediary platform.
from trytond.tests.test_tryton import ModuleTestCase


class ConsentRegistryTestCase(ModuleTestCase):
    "Test the consent_registry module"
    module = 'consent_registry'


del ModuleTestCase
