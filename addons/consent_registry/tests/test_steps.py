# This file is part of the insurance intermediary platform.
"""Steps declared by the modules above, guarded by the consents."""
import unittest

from trytond.modules.consent_registry.web import steps


class StepsTestCase(unittest.TestCase):

    def setUp(self):
        self.declared = list(steps.STEPS)
        self.addCleanup(setattr, steps, 'STEPS', self.declared)
        steps.STEPS = []

    def test_first_declared_step_decides(self):
        "The first matching step decides its moment"
        steps.guard('shop.pay', {'POST'}, 'contract')
        steps.guard('shop.*', {'POST'})
        self.assertEqual(steps.step('shop.pay', 'POST'), (True, 'contract'))
        self.assertEqual(steps.step('shop.cart', 'POST'), (True, None))
        self.assertEqual(steps.step('shop.cart', 'GET'), (False, None))

    def test_action_in_pattern(self):
        "A view taking an action is matched with its action"
        steps.guard('shop.act/buy', {'POST'}, 'quote')
        self.assertEqual(steps.step('shop.act', 'POST', 'buy'),
            (True, 'quote'))
        self.assertEqual(steps.step('shop.act', 'POST', 'look'),
            (False, None))

    def test_every_method(self):
        "A step without methods covers every method"
        steps.guard('shop.new', moment='quote')
        for method in ['GET', 'POST']:
            self.assertEqual(steps.step('shop.new', method), (True, 'quote'))

    def test_exempt(self):
        "The consent pages and static files are never interrupted"
        for endpoint in ['consent_registry.review', 'portal.static',
                'consent_registry.static']:
            self.assertTrue(steps.is_exempt(endpoint), endpoint)
        self.assertFalse(steps.is_exempt('portal.index'))
