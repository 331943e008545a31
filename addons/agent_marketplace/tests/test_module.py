# This file is part of the insurance intermediary platform.
from trytond.modules.portal.tests.tools import PlatformModuleTestCase


class AgentMarketplaceTestCase(PlatformModuleTestCase):
    "Test the agent_marketplace module"
    module = 'agent_marketplace'


del PlatformModuleTestCase
