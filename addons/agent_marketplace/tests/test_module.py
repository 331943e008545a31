# This file is part of the insurance intermediary platform.
from trytond.tests.test_tryton import ModuleTestCase


class AgentMarketplaceTestCase(ModuleTestCase):
    "Test the agent_marketplace module"
    module = 'agent_marketplace'


del ModuleTestCase
