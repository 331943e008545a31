# This file is part of the insurance intermediary platform.
"""The declared quote and contract steps guarded by the re-consent."""
import unittest

from trytond.modules.consent_registry.web.steps import is_exempt, is_guarded


class StepsTestCase(unittest.TestCase):

    def test_ticket_steps_guarded(self):
        "Opening a ticket and every ticket action are guarded"
        self.assertTrue(is_guarded('insurance_ticket.new', 'GET'))
        self.assertTrue(is_guarded('insurance_ticket.ticket', 'POST'))
        self.assertFalse(is_guarded('insurance_ticket.ticket', 'GET'))

    def test_other_pages_free(self):
        "Reading pages and the profile are not quote or contract steps"
        self.assertFalse(is_guarded('portal.index', 'GET'))
        self.assertFalse(is_guarded('portal.profile_update', 'POST'))

    def test_exempt(self):
        "The consent pages, login and static files are never interrupted"
        for endpoint in ['consent_registry.review', 'portal.static',
                'portal.logout', 'consent_registry.static']:
            self.assertTrue(is_exempt(endpoint), endpoint)
        self.assertFalse(is_exempt('portal.index'))
