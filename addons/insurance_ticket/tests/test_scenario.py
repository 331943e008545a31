# This file is part of the insurance intermediary platform.
from trytond.modules.portal.tests.tools import scenarios

ScenarioTestCase = scenarios(__file__)
