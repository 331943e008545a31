# This file is part of the insurance intermediary platform.
"""The client card on the party: its kind, its sections, its state and the
one snapshot of its content that the confirmation seals, the summary PDF
prints and the exports write.

States: draft (being filled) -> pending (complete and confirmed by the
client, no quote asked yet) -> active (the first quote request or
contract) -> closed.
"""
from collections import OrderedDict

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.portal.chain import canonical, digest
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import without_check_access

from .exceptions import CardIncomplete, CardStateError
from .provenance import ProvenanceMixin, plain

KINDS = [
    ('natural', "Natural person"),
    ('legal', "Legal person"),
    ]
STATES = [
    ('draft', "Draft"),
    ('pending', "Pending"),
    ('active', "Active"),
    ('closed', "Closed"),
    ]
# (code, label, the kinds it applies to)
SECTIONS = [
    ('identity', "Identity", {'natural', 'legal'}),
    ('document', "Identity documents", {'natural'}),
    ('residence', "Residence", {'natural', 'legal'}),
    ('family', "Family", {'natural'}),
    ('activity', "Activity", {'natural', 'legal'}),
    ('bank', "Bank", {'natural', 'legal'}),
    ('contacts', "Contacts", {'natural', 'legal'}),
    ('representatives', "Representatives and owners", {'legal'}),
    ]


def sections_of(kind):
    return [code for code, _, kinds in SECTIONS if kind in kinds]


class Party(ProvenanceMixin, metaclass=PoolMeta):
    __name__ = 'party.party'

    card_kind = fields.Selection(KINDS, "Person Type", required=True,
        help="A natural person (persona fisica) or a legal person "
        "(persona giuridica): it decides the sections of the card.")
    card_state = fields.Selection(STATES, "Card State", readonly=True,
        required=True)
    card_state_string = card_state.translated('card_state')
    card_missing = fields.Function(fields.Char("Missing Sections"),
        'get_card_missing')
    card_changed = fields.Function(fields.Boolean(
            "Changed Since Confirmation",
            help="The card changed after the client confirmed it."),
        'get_card_changed')
    card_confirmations = fields.One2Many(
        'party.card.confirmation', 'party', "Confirmations", readonly=True)
    card_history = fields.One2Many(
        'party.card.history', 'party', "History", readonly=True)
    card_verifications = fields.One2Many(
        'party.card.verification', 'party', "Verifications")
    provenance_identity = fields.Function(
        fields.Text("Provenance"), 'get_card_provenance')
    provenance_document = fields.Function(
        fields.Text("Provenance"), 'get_card_provenance')
    provenance_residence = fields.Function(
        fields.Text("Provenance"), 'get_card_provenance')
    provenance_family = fields.Function(
        fields.Text("Provenance"), 'get_card_provenance')
    provenance_activity = fields.Function(
        fields.Text("Provenance"), 'get_card_provenance')
    provenance_bank = fields.Function(
        fields.Text("Provenance"), 'get_card_provenance')
    provenance_contacts = fields.Function(
        fields.Text("Provenance"), 'get_card_provenance')
    provenance_representatives = fields.Function(
        fields.Text("Provenance"), 'get_card_provenance')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._card_fields = dict(cls._card_fields, card_kind='identity')
        cls._buttons.update({
                'close_card': {
                    'invisible': Eval('card_state') == 'closed',
                    'depends': ['card_state'],
                    },
                'reopen_card': {
                    'invisible': Eval('card_state') != 'closed',
                    'depends': ['card_state'],
                    },
                })

    @classmethod
    def default_card_kind(cls):
        return 'natural'

    @classmethod
    def default_card_state(cls):
        return 'draft'

    def card_party_id(self):
        return self.id

    @classmethod
    def card_section_labels(cls):
        "Return the sections' codes and labels in the user's language."
        Verification = Pool().get('party.card.verification')
        return Verification.fields_get(['section'])['section']['selection']

    @classmethod
    def card_title(cls):
        return gettext('client_card.msg_card_title')

    @classmethod
    def card_rows(cls, section, content):
        "Return the (label, value) rows of a section of the snapshot."
        labels = {name: field['string']
            for name, field in cls.fields_get(list(content)).items()}
        return [(labels.get(name, name), value)
            for name, value in content.items()]

    @property
    def card_sections(self):
        "The codes of the sections of the party's card."
        return sections_of(self.card_kind or 'natural')

    # completeness

    def card_section_missing(self, section):
        """Return the names of the required values missing from the
        section (the name of the section for a missing list)."""
        method = getattr(self, f'card_missing_{section}', None)
        return method() if method else []

    def get_card_missing(self, name):
        return ', '.join(s for s in self.card_sections
            if self.card_section_missing(s))

    @property
    def card_complete(self):
        return not any(self.card_section_missing(s)
            for s in self.card_sections)

    # the content

    def card_section_values(self, section):
        "Return the section's values: {field name: plain value}."
        method = getattr(self, f'card_values_{section}', None)
        if method:
            return method()
        return OrderedDict((name, plain(getattr(self, name)))
            for name in self.card_section_fields(section))

    def card_section_fields(self, section):
        "Return the party fields of the section for the party's kind."
        return [name for name, s in self._card_fields.items()
            if s == section and name in self.card_fields_of_kind()]

    def card_fields_of_kind(self):
        "Return the party fields the kind of the party uses."
        return set(self._card_fields)

    @classmethod
    def card_snapshot(cls, party):
        """Return the whole card as {section code: {field name: value}},
        in the sections' order, ready for JSON: the content the
        confirmation hashes, the PDF prints and the exports write."""
        party = cls(int(party))
        snapshot = OrderedDict(card=OrderedDict(
                kind=party.card_kind, state=party.card_state))
        for section in party.card_sections:
            snapshot[section] = party.card_section_values(section)
        return snapshot

    @classmethod
    def card_hash(cls, party):
        "Return the SHA-256 of the card's canonical content."
        snapshot = cls.card_snapshot(party)
        # the state changes with the confirmation, not the content
        snapshot['card'].pop('state')
        return digest(canonical(snapshot))

    @classmethod
    def get_card_changed(cls, parties, name):
        Confirmation = Pool().get('party.card.confirmation')
        last = Confirmation.last_of(parties)
        return {p.id: bool(p.id in last
                and last[p.id].card_hash != cls.card_hash(p))
            for p in parties}

    def get_card_provenance(self, name):
        """Return who entered each value of the section, and the section's
        current verification, for the back office."""
        pool = Pool()
        History = pool.get('party.card.history')
        Verification = pool.get('party.card.verification')
        section = name[len('provenance_'):]
        lines = []
        verification = Verification.current_of(self).get(section)
        if verification:
            lines.append(verification.describe())
        seen = set()
        for row in History.search([
                    ('party', '=', self.id), ('section', '=', section)],
                order=[('id', 'DESC')], limit=200):
            key = (row.model, row.record, row.field_name)
            if key in seen:
                continue
            seen.add(key)
            lines.append(f'{row.field_string}: {row.describe()}')
        return '\n'.join(lines)

    def card_section_status(self, section, confirmation=None):
        """Return the state of a section for the client: 'missing',
        'staff' (entered or changed by the intermediary after the last
        confirmation: to confirm) or 'complete'."""
        History = Pool().get('party.card.history')
        if self.card_section_missing(section):
            return 'missing'
        domain = [('party', '=', self.id), ('section', '=', section),
            ('channel', 'not in', ['portal', 'system'])]
        if confirmation:
            domain.append(('id', '>', confirmation.last_history or 0))
        if History.search(domain, limit=1):
            return 'staff'
        return 'complete'

    # the states

    @classmethod
    def confirm_card(cls, parties, web_user=None):
        """Record the client's confirmation of their card as evidence and
        make a complete draft card pending; return the confirmations."""
        Confirmation = Pool().get('party.card.confirmation')
        for party in parties:
            if not party.card_complete:
                raise CardIncomplete(gettext(
                        'client_card.msg_card_incomplete',
                        party=party.rec_name, sections=party.card_missing))
        confirmations = Confirmation.record(parties, web_user=web_user)
        drafts = [p for p in parties if p.card_state == 'draft']
        if drafts:
            cls.set_card_state(drafts, 'pending')
        cls.on_card_confirmed(parties)
        return confirmations

    @classmethod
    def on_card_confirmed(cls, parties):
        "Hook run after the client confirmed the cards."

    @classmethod
    def activate_card(cls, parties):
        "A pending card becomes active: the first quote request was made."
        for party in parties:
            if party.card_state not in {'pending', 'active'}:
                raise CardStateError(gettext(
                        'client_card.msg_card_not_pending',
                        party=party.rec_name))
        cls.set_card_state(
            [p for p in parties if p.card_state == 'pending'], 'active')

    @classmethod
    @ModelView.button
    def close_card(cls, parties):
        cls.set_card_state(parties, 'closed')

    @classmethod
    @ModelView.button
    def reopen_card(cls, parties):
        cls.set_card_state(parties, 'draft')

    @classmethod
    def set_card_state(cls, parties, state):
        if parties:
            with without_check_access():
                cls.write(list(parties), {'card_state': state})
