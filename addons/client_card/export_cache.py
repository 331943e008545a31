# This file is part of the insurance intermediary platform.
"""The export row of every card, kept with the card.

An export writes each card flattened to its columns
(``export_columns.flat``). Working that out reads the party and every part
of its card, about five milliseconds a card, so an export of 100,000 cards
would spend minutes in it. The flattened card is kept instead, one row per
party in ``client_card.export.row``:

- any change of a card (the party, its addresses, contacts, identifiers,
  documents, household and representatives) marks its party in the
  transaction; the marked rows are written again just before the
  transaction commits (a data manager), in the same transaction as the
  change, so a row is never older than its card;
- an export reads the rows page by page, the database projecting the
  profile's columns out of them; a card with no row, a row of an older
  column layout (a module added a column) or a card changed in the running
  transaction is worked out from the card there and then, and kept.
"""
import hashlib
from functools import lru_cache

from sql.operators import BinaryOperator
from sql.functions import CurrentTimestamp, Function
from trytond import backend
from trytond.model import ModelSQL, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .export_columns import columns, flat
from .export_formats import Card

# the cards worked out at once: more outgrow the records' cache, which
# then reads them one by one
REFRESH_BATCH = 250


class _JSONText(BinaryOperator):
    "PostgreSQL: the text of a key of a jsonb value."
    __slots__ = ()
    _operator = '->>'


class _JSONExtract(Function):
    "SQLite: the value of a JSON path."
    __slots__ = ()
    _function = 'JSON_EXTRACT'


def layout():
    "Return the hash of the column keys, in their order."
    return _layout(Pool().get('party.party'))


@lru_cache(maxsize=8)
def _layout(Party):
    # the columns are the pool's: worked out once for each loaded pool
    keys = '\n'.join(c.key for c in columns())
    return hashlib.sha256(keys.encode()).hexdigest()[:16]


class ExportRow(ModelSQL):
    "Client Card Export Row"
    __name__ = 'client_card.export.row'

    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='CASCADE')
    layout = fields.Char("Layout", required=True)
    values = fields.Dict(None, "Values")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_constraints += [
            ('party_unique', Unique(table, table.party),
                'client_card.msg_export_row_unique'),
            ]

    # what changed

    @classmethod
    def card_changed(cls, party_ids):
        "Mark the cards: their rows are written again at the commit."
        party_ids = {int(i) for i in party_ids if i is not None}
        if party_ids:
            Transaction().join(_RowsManager()).party_ids.update(party_ids)

    @classmethod
    def changed_now(cls):
        "Return the ids of the cards changed in the running transaction."
        manager = Transaction().join(_RowsManager())
        return manager.party_ids

    # the rows

    @classmethod
    def refresh(cls, party_ids):
        "Write the rows of the cards again; return {party id: flat card}."
        Party = Pool().get('party.party')
        result = {}
        current = layout()
        with Transaction().set_context(_check_access=False):
            for sub_ids in grouped_slice(
                    sorted(set(party_ids)), REFRESH_BATCH):
                # the parties still there, inactive ones included
                with Transaction().set_context(active_test=False):
                    found = Party.search([('id', 'in', list(sub_ids))])
                parties = Party.browse([p.id for p in found])
                computed = {p.id: flat(p) for p in parties}
                result.update(computed)
                if computed and not Transaction().readonly:
                    cls._store(computed, current)
        return result

    @classmethod
    def _store(cls, computed, current):
        """Write the rows of computed ({party id: flat card}); on
        PostgreSQL in one upsert, so two transactions writing the same row
        follow each other."""
        table = cls.__table__()
        dump = cls.values.sql_format
        user = Transaction().user
        cursor = Transaction().connection.cursor()
        values = [[i, current, dump(v), user, CurrentTimestamp()]
            for i, v in computed.items()]
        if backend.name != 'postgresql':
            cursor.execute(*table.delete(
                    where=reduce_ids(table.party, list(computed))))
        query, params = tuple(table.insert(
                [table.party, table.layout, table.values, table.create_uid,
                    table.create_date], values))
        if backend.name == 'postgresql':
            query += (' ON CONFLICT ("party") DO UPDATE SET '
                '"layout" = excluded."layout", '
                '"values" = excluded."values", '
                '"write_uid" = excluded."create_uid", '
                '"write_date" = CURRENT_TIMESTAMP')
        cursor.execute(query, params)

    @classmethod
    def pages(cls, keys, domain=None, ids=None, size=1000):
        """Yield the cards page by page, in the order of their ids, as
        (cards, rows): each row the texts of the keys, in their order."""
        current = layout()
        if ids is not None:
            ids = sorted(set(ids))
            for start in range(0, len(ids), size):
                yield cls._page(keys, current, ids=ids[start:start + size])
            return
        last = 0
        while True:
            cards, rows = cls._page(keys, current, domain=domain or [],
                after=last, size=size)
            if not cards:
                return
            yield cards, rows
            last = cards[-1].id

    @classmethod
    def _page(cls, keys, current, ids=None, domain=None, after=0, size=None):
        Party = Pool().get('party.party')
        party, table = Party.__table__(), cls.__table__()
        if ids is not None:
            where = reduce_ids(party.id, ids)
            limit = None
        else:
            where = party.id.in_(Party.search(
                    domain + [('id', '>', after)], order=[('id', 'ASC')],
                    limit=size, query=True))
            limit = None
        query = party.join(table, 'LEFT',
            condition=table.party == party.id).select(
                party.id, table.layout, *(cls._text(table, k) for k in keys),
                where=where, order_by=[party.id.asc], limit=limit)
        cursor = Transaction().connection.cursor()
        cursor.execute(*query)
        fetched = cursor.fetchall()
        changed = cls.changed_now()
        stale = [r[0] for r in fetched if r[1] != current or r[0] in changed]
        computed = cls.refresh(stale) if stale else {}
        rows = []
        for record in fetched:
            if record[0] in computed:
                values = computed[record[0]]
                rows.append([values.get(k, '') for k in keys])
            else:
                rows.append([v or '' for v in record[2:]])
        return [Card(r[0]) for r in fetched], rows

    @classmethod
    def _text(cls, table, key):
        if backend.name == 'postgresql':
            return _JSONText(table.values, key)
        return _JSONExtract(table.values, '$."%s"' % key)


class _RowsManager:
    "Write the rows of the cards changed, before the transaction commits."

    def __init__(self):
        self.party_ids = set()

    def __eq__(self, other):
        return isinstance(other, _RowsManager)

    def __hash__(self):
        return hash(_RowsManager)

    def tpc_begin(self, transaction):
        pass

    def commit(self, transaction):
        if not self.party_ids or transaction.readonly:
            return
        ExportRow = Pool().get('client_card.export.row')
        party_ids, self.party_ids = self.party_ids, set()
        ExportRow.refresh(party_ids)

    def tpc_vote(self, transaction):
        pass

    def tpc_finish(self, transaction):
        self.party_ids = set()

    def tpc_abort(self, transaction):
        self.party_ids = set()


class ExportPart:
    "A model whose change is a change of its party's export row."
    __slots__ = ()

    def export_party_id(self):
        return self.party.id if self.party else None

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        ExportRow = Pool().get('client_card.export.row')
        ExportRow.card_changed(r.export_party_id() for r in records)


class Party(ExportPart, metaclass=PoolMeta):
    __name__ = 'party.party'

    def export_party_id(self):
        return self.id


class Address(ExportPart, metaclass=PoolMeta):
    __name__ = 'party.address'


class ContactMechanism(ExportPart, metaclass=PoolMeta):
    __name__ = 'party.contact_mechanism'


class Identifier(ExportPart, metaclass=PoolMeta):
    __name__ = 'party.identifier'


class Document(ExportPart, metaclass=PoolMeta):
    __name__ = 'party.card.document'


class HouseholdMember(ExportPart, metaclass=PoolMeta):
    __name__ = 'party.card.household'


class Representative(ExportPart, metaclass=PoolMeta):
    __name__ = 'party.card.representative'
