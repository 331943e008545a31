# This file is part of the insurance intermediary platform.
from trytond.modules.portal.tests.tools import PlatformModuleTestCase


class ClientCardTestCase(PlatformModuleTestCase):
    "Test the client_card module"
    module = 'client_card'


del PlatformModuleTestCase
