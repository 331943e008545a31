# This file is part of the insurance intermediary platform.
from trytond.tests.test_tryton import ModuleTestCase


class ClientCardTestCase(ModuleTestCase):
    "Test the client_card module"
    module = 'client_card'


del ModuleTestCase
