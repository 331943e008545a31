# This file is part of the insurance intermediary platform.
"""The outbox of the synchronisation: every delivery of a card to a target.

A delivery is written in the transaction that decided it and sent after
the commit by a queue task. One that fails keeps its error and is tried
again later, with a growing delay and without end: nothing is dropped.
The deliveries of one card to one target go in their order: a delivery
waits while an earlier one of the same card has not gone."""
import datetime as dt
import json
import logging
import uuid

from trytond import config
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from . import sync_transport

logger = logging.getLogger(__name__)

STATES = [
    ('queued', "Queued"),
    ('sent', "Sent"),
    ('failed', "Failed, Retried"),
    ]
OPERATIONS = [
    ('upsert', "Create or Update"),
    ('delete', "Delete"),
    ]
RETRY_SECONDS = 30
MAX_DELAY = dt.timedelta(hours=1)


def retry_delay(attempts):
    "Return how long to wait after the number of failed attempts."
    seconds = config.getint(
        'client_card', 'sync_retry_seconds', default=RETRY_SECONDS)
    return min(dt.timedelta(seconds=seconds * 2 ** (attempts - 1)), MAX_DELAY)


class State(ModelSQL):
    "Synchronisation State"
    __name__ = 'client_card.sync.state'

    target = fields.Many2One('client_card.sync.target', "Target",
        required=True, ondelete='CASCADE')
    party = fields.Many2One('party.party', "Card", required=True,
        ondelete='CASCADE')
    values = fields.Text("Values Queued",
        help="The values last given to the target (JSON).")
    etag = fields.Char("ETag", help="The CardDAV server's ETag of the card.")
    deleted = fields.Boolean("Deleted")
    rejected = fields.Text("Values Rejected",
        help="The values staff rejected, not proposed again (JSON).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.target, Index.Equality()), (t.party, Index.Equality())))

    @classmethod
    def of(cls, target, party):
        "Return the state of the party on the target."
        states = cls.search([
                ('target', '=', target.id), ('party', '=', party.id)], limit=1)
        if states:
            return states[0]
        state = cls(target=target, party=party, deleted=False)
        state.save()
        return state

    def queued_values(self):
        if self.deleted or not self.values:
            return None
        return json.loads(self.values)


class Delivery(ModelSQL, ModelView):
    "Synchronisation Delivery"
    __name__ = 'client_card.sync.delivery'

    target = fields.Many2One('client_card.sync.target', "Target",
        required=True, readonly=True, ondelete='CASCADE')
    party = fields.Many2One('party.party', "Card", readonly=True,
        ondelete='SET NULL')
    party_id = fields.Integer("Card ID", readonly=True, required=True)
    operation = fields.Selection(OPERATIONS, "Operation", required=True,
        readonly=True)
    payload = fields.Text("Values", readonly=True)
    idempotency_key = fields.Char("Idempotency Key", readonly=True,
        required=True)
    change = fields.Many2One('client_card.sync.change', "Approved Change",
        readonly=True, ondelete='SET NULL')
    state = fields.Selection(STATES, "State", required=True, readonly=True)
    attempts = fields.Integer("Attempts", required=True, readonly=True)
    next_attempt_at = fields.Timestamp("Next Attempt", readonly=True)
    sent_at = fields.Timestamp("Sent At", readonly=True)
    error = fields.Text("Last Error", readonly=True)
    etag = fields.Char("ETag", readonly=True,
        help="The CardDAV server's ETag of the card when it was deleted.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.target, Index.Equality()),
                    (t.party_id, Index.Equality())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state != 'sent'),
                })
        cls._order = [('id', 'DESC')]
        cls._buttons.update({
                'retry': {
                    'invisible': Eval('state') != 'failed',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'queued'

    @classmethod
    def default_attempts(cls):
        return 0

    @classmethod
    def default_operation(cls):
        return 'upsert'

    def get_rec_name(self, name):
        return f'{self.target.rec_name} · {self.party_id} · {self.state}'

    def values(self):
        return json.loads(self.payload or '{}')

    @classmethod
    def prepare(cls, target, party, values, state, operation='upsert',
            change=None):
        "Return a delivery of the values; the state records them as queued."
        delivery = cls(target=target, party=party, party_id=party.id,
            operation=operation, change=change,
            payload=json.dumps(values, ensure_ascii=False),
            idempotency_key=uuid.uuid4().hex,
            etag=state.etag if operation == 'delete' else None)
        delivery.save()
        state.values = json.dumps(values, ensure_ascii=False)
        state.deleted = operation == 'delete'
        state.save()
        return delivery

    @classmethod
    def queue(cls, deliveries):
        "Send the deliveries after the commit."
        for delivery in deliveries:
            cls.__queue__.deliver([delivery])

    @classmethod
    @ModelView.button
    def retry(cls, deliveries):
        cls.queue(deliveries)

    def waiting_for(self):
        "Return the earlier delivery of the card not sent yet, if any."
        earlier = self.search([
                ('target', '=', self.target.id),
                ('party_id', '=', self.party_id),
                ('state', '!=', 'sent'),
                ('id', '<', self.id),
                ], order=[('id', 'ASC')], limit=1)
        return earlier[0] if earlier else None

    def following(self):
        "Return the next delivery of the card waiting for this one."
        later = self.search([
                ('target', '=', self.target.id),
                ('party_id', '=', self.party_id),
                ('state', '!=', 'sent'),
                ('id', '>', self.id),
                ], order=[('id', 'ASC')], limit=1)
        return later[0] if later else None

    @classmethod
    def deliver(cls, deliveries):
        "Send the deliveries; those that fail are scheduled again."
        State = Pool().get('client_card.sync.state')
        now = dt.datetime.now()
        with without_check_access():
            cls.lock(deliveries)
            for delivery in cls.browse(deliveries):
                if delivery.state == 'sent' or delivery.waiting_for():
                    continue
                state = State.search([
                        ('target', '=', delivery.target.id),
                        ('party', '=', delivery.party_id),
                        ], limit=1)
                try:
                    etag = sync_transport.send(
                        delivery.target, delivery,
                        state[0].etag if state else delivery.etag)
                except Exception as exception:  # noqa: BLE001 (kept, retried)
                    delivery._failed(exception, now, state)
                    delivery.save()
                    continue
                delivery._sent(now, state, etag)

    def _sent(self, now, state, etag):
        self.state = 'sent'
        self.sent_at = now
        self.error = None
        self.next_attempt_at = None
        self.attempts += 1
        self.save()
        if state and self.target.kind == 'carddav':
            state[0].etag = None if self.operation == 'delete' else etag
            state[0].save()
        following = self.following()
        if following:
            self.__class__.deliver([following])

    def _failed(self, exception, now, state):
        "Record the failure and schedule the next attempt."
        self.error = f'{type(exception).__name__}: {exception}'[:2000]
        self.attempts += 1
        self.state = 'failed'
        if state and isinstance(exception, sync_transport.Conflict):
            # the server's copy changed: the next attempt knows its ETag
            state[0].etag = exception.etag
            state[0].save()
        delay = retry_delay(self.attempts)
        self.next_attempt_at = now + delay
        logger.warning("card %s to target %s failed (%s), next attempt in %s",
            self.party_id, self.target.id, self.error, delay)
        with Transaction().set_context(queue_scheduled_at=delay):
            self.__class__.__queue__.deliver([self])

    @classmethod
    def pending(cls):
        "Send again every delivery not sent (the cron job)."
        cls.queue(cls.search([('state', '!=', 'sent')], order=[('id', 'ASC')]))
