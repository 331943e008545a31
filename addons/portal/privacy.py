# This file is part of the insurance intermediary platform.
"""The privacy notice of the portal (GDPR art. 13): each item the article
asks for, configured in the back office in each language, with a default
wording until it is."""
from trytond.i18n import gettext
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields

# the items of art. 13, in the order the notice gives them
ITEMS = ['controller', 'dpo', 'purposes', 'legal_basis', 'recipients',
    'transfers', 'retention', 'rights', 'complaint']


def item(string, help):
    return fields.Text(string, translate=True, help=help)


class Privacy(ModelSingleton, ModelSQL, ModelView):
    "Privacy Notice"
    __name__ = 'portal.privacy'
    controller = item("Data Controller",
        "Art. 13(1)(a): who the controller is and how to reach it.")
    dpo = item("Data Protection Officer",
        "Art. 13(1)(b): the contact of the data protection officer.")
    purposes = item("Purposes",
        "Art. 13(1)(c): what the data is processed for.")
    legal_basis = item("Legal Basis",
        "Art. 13(1)(c) and (d): on what ground each purpose rests.")
    recipients = item("Recipients",
        "Art. 13(1)(e): who receives the data.")
    transfers = item("Transfers Outside the EU",
        "Art. 13(1)(f): transfers to third countries and their safeguards.")
    retention = item("Retention",
        "Art. 13(2)(a): how long the data is kept.")
    rights = item("Rights",
        "Art. 13(2)(b) and (c): access, rectification, erasure, "
        "restriction, objection, portability, withdrawal of consent.")
    complaint = item("Complaint",
        "Art. 13(2)(d): the right to lodge a complaint with the authority.")

    def notice(self):
        "Return the (heading, text) of each item in the current language."
        headings = self.fields_get(ITEMS)
        return [(headings[name]['string'], getattr(self, name)
                or gettext(f'portal.msg_privacy_{name}'))
            for name in ITEMS]
