# This file is part of the insurance intermediary platform.
"""Provenance of every value of the card: an append-only history, one row
per field and change, saying who entered the value (the client in the
portal, staff on the client's behalf, an import, a synchronisation), when,
through which channel and from which address.

It is written by ``on_modification`` of every model of the card from what
the transaction knows, so no write path has to call anything: the context
keys ``card_channel`` (``portal``, ``back_office``, ``import``, ``sync``)
and ``card_reference`` (free text, e.g. "file X, row N") complete it.
"""
import datetime as dt
import json
from decimal import Decimal

from sql.aggregate import Max
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.portal import formats
from trytond.modules.portal.append_only import AppendOnlyMixin
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .exceptions import CardHistoryImmutable

CHANNELS = [
    ('portal', "Client in the portal"),
    ('back_office', "Staff in the back office"),
    ('import', "Import"),
    ('sync', "Synchronisation"),
    ('system', "System"),
    ]


def plain(value):
    "Return the value as the history keeps it: JSON-ready."
    if hasattr(value, 'rec_name'):
        return getattr(value, 'code', None) or value.rec_name
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return None
    return value


def utc_now():
    return dt.datetime.now(dt.UTC).replace(
        tzinfo=None, microsecond=0)


def local_time(value):
    "Return a stored UTC time as the platform's zone writes it."
    return formats.local(value).strftime('%d/%m/%Y %H:%M') if value else ''


def current_channel():
    "Return the channel of the transaction's writes."
    context = Transaction().context
    if context.get('card_channel'):
        return context['card_channel']
    if context.get('web_user'):
        return 'portal'
    if Transaction().user:
        return 'back_office'
    return 'system'


class ChangeProvenance:
    """Who made a change, when, through which channel, from which address
    and after what (``reference``): the fields every history row of the
    platform's collected data keeps, and their one summary."""
    __slots__ = ()
    time = fields.Timestamp("Time", readonly=True)
    channel = fields.Selection(CHANNELS, "Channel", readonly=True)
    user = fields.Many2One('res.user', "Staff User", readonly=True)
    web_user = fields.Many2One('web.user', "Web User", readonly=True)
    ip_address = fields.Char("Address", readonly=True)
    reference = fields.Char("Reference", readonly=True)
    summary = fields.Function(fields.Char("Provenance"), 'get_summary')

    def get_summary(self, name):
        return self.describe()

    def describe(self, language=None):
        "Return 'entered by … on … from …' for the back office."
        channels = dict(self.fields_get(['channel'])['channel']['selection'])
        who = (self.user.rec_name if self.channel == 'back_office'
            and self.user else self.web_user.email if self.web_user
            else '')
        parts = [channels.get(self.channel, self.channel or '')]
        if who:
            parts.append(who)
        parts.append(local_time(self.time))
        if self.ip_address:
            parts.append(self.ip_address)
        if self.reference:
            parts.append(self.reference)
        return ' · '.join(p for p in parts if p)


class History(ChangeProvenance, AppendOnlyMixin, ModelSQL, ModelView):
    "Card History"
    __name__ = 'party.card.history'
    _append_only_error = (
        CardHistoryImmutable, 'client_card.msg_history_immutable')
    _order_name = 'time'

    party = fields.Many2One(
        'party.party', "Party", required=True, readonly=True,
        ondelete='CASCADE')
    section = fields.Char("Section", readonly=True)
    section_string = fields.Function(
        fields.Char("Section"), 'get_section_string')
    model = fields.Char("Model", readonly=True)
    record = fields.Integer("Record", readonly=True)
    field_name = fields.Char("Field", readonly=True)
    field_string = fields.Function(
        fields.Char("Field"), 'get_field_string')
    value = fields.Text("Value", readonly=True)
    operation = fields.Selection([
            ('create', "Entered"),
            ('write', "Changed"),
            ('delete', "Removed"),
            ], "Operation", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.party, Index.Range()), (t.model, Index.Equality()),
                (t.record, Index.Range()), (t.field_name, Index.Equality()),
                (t.id, Index.Range())))
        cls._order = [('time', 'DESC'), ('id', 'DESC')]

    def get_section_string(self, name):
        Party = Pool().get('party.party')
        return dict(Party.card_section_labels()).get(
            self.section, self.section)

    def get_field_string(self, name):
        try:
            Model = Pool().get(self.model)
        except KeyError:
            return self.field_name
        field = Model._fields.get(self.field_name)
        return field.string if field else self.field_name

    @classmethod
    def context_values(cls):
        "Return who, when and how of the transaction's writes."
        transaction = Transaction()
        context = transaction.context
        address, _ = transaction.remote_address()
        channel = current_channel()
        return {
            'time': utc_now(),
            'channel': channel,
            'user': (transaction.user or context.get('card_staff_user'))
            if channel == 'back_office' else None,
            'web_user': context.get('web_user'),
            'ip_address': str(address) if address else None,
            'reference': (context.get('card_reference') or '')[:500] or None,
            }

    @classmethod
    def last_values(cls, model, ids, names):
        "Return {(record, field): last value text} of the records' fields."
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        result = {}
        for sub in grouped_slice(ids):
            cursor.execute(*table.select(Max(table.id),
                    where=(table.model == model)
                    & table.record.in_(list(sub))
                    & table.field_name.in_(list(names)),
                    group_by=[table.record, table.field_name]))
            last = [i for i, in cursor]
            for sub_last in grouped_slice(last):
                cursor.execute(*table.select(
                        table.record, table.field_name, table.value,
                        table.operation,
                        where=table.id.in_(list(sub_last))))
                for record, field, value, operation in cursor:
                    result[record, field] = (
                        None if operation == 'delete' else value)
        return result

    @classmethod
    def record_changes(cls, Model, mode, records, field_names=None):
        """Add a row per changed card field of the records; a value saved
        again unchanged adds nothing."""
        names = [n for n in Model.card_tracked_fields()
            if field_names is None or n in field_names]
        if not records or not names:
            return
        base = cls.context_values()
        last = cls.last_values(Model.__name__, [r.id for r in records], names)
        rows = []
        for record in records:
            party = record.card_party_id()
            if party is None:
                continue
            for name in names:
                value = None if mode == 'delete' else cls.dump(
                    plain(getattr(record, name)))
                if mode != 'delete' and value is None and (
                        (record.id, name) not in last):
                    continue
                if mode != 'delete' and last.get(
                        (record.id, name), 'unset') == value:
                    continue
                rows.append(dict(base, party=party,
                        section=record.card_section_of(name),
                        model=Model.__name__, record=record.id,
                        field_name=name, value=value, operation=mode))
        if rows:
            cls.create(rows)

    @staticmethod
    def dump(value):
        if value is None or value == '':
            return None
        return json.dumps(value, ensure_ascii=False)

    @classmethod
    def last_id(cls, party):
        "Return the id of the last row of the party's history, or 0."
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(Max(table.id),
                where=table.party == int(party)))
        return cursor.fetchone()[0] or 0


class ProvenanceMixin:
    """A model of the card whose fields keep their provenance.

    ``_card_fields`` maps each tracked field to its section;
    ``card_party_id`` says whose card the record belongs to."""
    __slots__ = ()
    _card_fields = {}

    @classmethod
    def card_tracked_fields(cls):
        return list(cls._card_fields)

    def card_section_of(self, name):
        return self._card_fields[name]

    def card_party_id(self):
        return self.party.id if self.party else None

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        History = Pool().get('party.card.history')
        History.record_changes(cls, mode, records, field_names)
