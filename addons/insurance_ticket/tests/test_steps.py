# This file is part of the insurance intermediary platform.
"""The ticket pages declare which of them are quote and contract steps."""
import unittest

from trytond.modules.consent_registry.web.steps import step
from trytond.modules.insurance_ticket import web  # noqa: F401 (declares)


class TicketStepsTestCase(unittest.TestCase):

    def test_ticket_steps(self):
        "Opening a ticket needs the quote forms, accepting and signing more"
        self.assertEqual(step('insurance_ticket.new', 'GET'), (True, 'quote'))
        self.assertEqual(
            step('insurance_ticket.create', 'POST'), (True, 'quote'))
        self.assertEqual(step('insurance_ticket.act', 'POST', 'accept'),
            (True, 'contract'))
        for endpoint in ['insurance_ticket.sign',
                'insurance_ticket.signature_code']:
            self.assertEqual(
                step(endpoint, 'POST'), (True, 'contract'), endpoint)

    def test_other_ticket_actions(self):
        "Other ticket actions wait for the changed forms only"
        self.assertEqual(step('insurance_ticket.act', 'POST', 'decline'),
            (True, None))
        self.assertEqual(step('insurance_ticket.reply', 'POST'), (True, None))
        self.assertEqual(step('insurance_ticket.show', 'GET'), (False, None))

    def test_other_pages_free(self):
        "Reading pages and the profile are not quote or contract steps"
        self.assertEqual(step('portal.index', 'GET'), (False, None))
        self.assertEqual(step('portal.profile_update', 'POST'), (False, None))
