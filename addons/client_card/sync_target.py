# This file is part of the insurance intermediary platform.
"""Synchronisation targets: where the changed cards go.

A target is a folder (the management software's import folder), an HTTP
webhook or a CardDAV address book. In the automatic mode each confirmed
change of a card goes to the outbox at once; in the approval mode it waits
as a pending change until staff approve or reject it field by field."""
from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import without_check_access

from . import sync_secret
from .export_columns import PROFILES, row
from .export_formats import FORMATS

KINDS = [
    ('file', "File Drop"),
    ('webhook', "Webhook"),
    ('carddav', "CardDAV Address Book"),
    ]
MODES = [
    ('automatic', "Automatic"),
    ('approval', "After Approval"),
    ]


class Target(DeactivableMixin, ModelSQL, ModelView):
    "Synchronisation Target"
    __name__ = 'client_card.sync.target'

    name = fields.Char("Name", required=True)
    kind = fields.Selection(KINDS, "Kind", required=True)
    mode = fields.Selection(MODES, "Mode", required=True)
    profile = fields.Selection(PROFILES, "Profile", required=True)
    format = fields.Selection(FORMATS, "Format",
        states={
            'invisible': Eval('kind') != 'file',
            'required': Eval('kind') == 'file',
            })
    folder = fields.Char("Folder",
        states={
            'invisible': Eval('kind') != 'file',
            'required': Eval('kind') == 'file',
            },
        help="The folder the files are written to, on the server.")
    url = fields.Char("URL",
        states={
            'invisible': Eval('kind') == 'file',
            'required': Eval('kind') != 'file',
            },
        help="The webhook's address, or the CardDAV address book's.")
    username = fields.Char("User Name",
        states={'invisible': Eval('kind') != 'carddav'})
    secret = fields.Char("Secret (Encrypted)", readonly=True)
    new_secret = fields.Function(fields.Char("New Secret",
            states={'invisible': Eval('kind') == 'file'},
            help="The webhook's signing key or the CardDAV password; "
            "stored encrypted, never shown again."),
        'get_new_secret', setter='set_new_secret')
    secret_reference = fields.Char("Secret in Configuration",
        states={'invisible': Eval('kind') == 'file'},
        help="The option of the [client_card] section of the server's "
        "configuration holding the secret, instead of the stored one.")
    has_credential = fields.Function(
        fields.Boolean("Has a Secret"), 'get_has_credential')
    deliveries = fields.One2Many(
        'client_card.sync.delivery', 'target', "Deliveries", readonly=True)
    changes = fields.One2Many(
        'client_card.sync.change', 'target', "Changes", readonly=True)

    @classmethod
    def default_mode(cls):
        return 'automatic'

    @classmethod
    def default_profile(cls):
        return 'full'

    @classmethod
    def default_format(cls):
        return 'csv'

    def get_new_secret(self, name):
        return None

    @classmethod
    def set_new_secret(cls, targets, name, value):
        if not value:
            return
        with without_check_access():
            cls.write(targets, {'secret': sync_secret.encrypt(value)})

    def get_has_credential(self, name):
        with without_check_access():
            target = self.__class__(self.id)
            return bool(target.secret or self.secret_reference)

    def credential(self):
        "Return the secret in clear, from the configuration or decrypted."
        if self.secret_reference:
            return sync_secret.configured(self.secret_reference)
        with without_check_access():
            return sync_secret.decrypt(self.__class__(self.id).secret)

    def values(self, party):
        "Return the values the target receives of the party."
        if self.kind == 'carddav':
            return row(party, 'full')
        return row(party, self.profile)

    @classmethod
    def card_changed(cls, parties):
        """Send the changes of the cards to each active target: to the
        outbox at once, or as a pending change where approval is asked."""
        pool = Pool()
        Delivery = pool.get('client_card.sync.delivery')
        Change = pool.get('client_card.sync.change')
        State = pool.get('client_card.sync.state')
        with without_check_access():
            targets = cls.search([])
            if not targets or not parties:
                return
            deliveries = []
            for target in targets:
                for party in parties:
                    state = State.of(target, party)
                    values = target.values(party)
                    if values == state.queued_values():
                        continue
                    if target.mode == 'automatic':
                        deliveries.append(
                            Delivery.prepare(target, party, values, state))
                    else:
                        Change.propose(target, party, values, state)
            Delivery.queue(deliveries)

    @classmethod
    def card_deleted(cls, parties):
        "Remove the cards from each target that received them."
        pool = Pool()
        Delivery = pool.get('client_card.sync.delivery')
        State = pool.get('client_card.sync.state')
        with without_check_access():
            deliveries = []
            for state in State.search([('party', 'in', [p.id for p in parties])]):
                if state.deleted or not state.values:
                    continue
                deliveries.append(Delivery.prepare(
                        state.target, state.party, state.queued_values(),
                        state, operation='delete'))
            Delivery.queue(deliveries)
