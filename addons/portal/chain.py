# This file is part of the insurance intermediary platform.
"""Evidence sealed in a hash chain.

Each record of a chain (the records sharing the value of ``_chain_key``: a
party's consents, a ticket's signatures) carries ``chain_hash``, the SHA-256
of its sealed values (``_chain_fields``) and of ``previous_hash``, the chain
hash of the record before it. Changing, removing or inserting a record
breaks every hash after it. The sealed values are serialised one way only:
``canonical``, JSON with sorted keys, no spaces, UTF-8 text and ISO times.
"""
import datetime as dt
import hashlib
import json
from decimal import Decimal

from trytond.model import fields
from trytond.transaction import Transaction

from sql import For


def _plain(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{value!r} cannot be sealed")


def canonical(values):
    "Return the one serialisation the chain hashes are taken of."
    return json.dumps(values, sort_keys=True, ensure_ascii=False,
        separators=(',', ':'), default=_plain)


def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


class ChainedMixin:
    "Records sealed in a hash chain per value of ``_chain_key``."
    __slots__ = ()
    _chain_key = None
    _chain_fields = []

    previous_hash = fields.Char("Previous Hash", readonly=True)
    chain_hash = fields.Char("Chain Hash", readonly=True)

    @classmethod
    def chain_payload(cls, values):
        "Return the sealed values and the previous hash of a record."
        payload = {name: values.get(name) for name in cls._chain_fields}
        payload['previous_hash'] = values.get('previous_hash')
        return payload

    @classmethod
    def chain_digest(cls, values):
        "Return the chain hash the values of a record must carry."
        return digest(canonical(cls.chain_payload(values)))

    @classmethod
    def chain_head(cls, key):
        "Return the chain hash of the last record of the chain, or None."
        records = cls.search(
            [(cls._chain_key, '=', key)], order=[('id', 'DESC')], limit=1)
        return records[0].chain_hash if records else None

    @classmethod
    def lock_chains(cls, keys):
        """Wait for the other transactions adding to the chains: each link
        needs the record before it committed."""
        keys = [int(k) for k in keys if k]
        transaction = Transaction()
        if not keys or not transaction.database.has_select_for():
            return
        Target = cls._fields[cls._chain_key].get_target()
        table = Target.__table__()
        cursor = transaction.connection.cursor()
        cursor.execute(*table.select(table.id,
                where=table.id.in_(keys), for_=For('UPDATE')))

    @classmethod
    def seal_chain(cls, values, heads):
        """Link the values of a new record to its chain and seal them;
        ``heads`` keeps the chains' last hashes across one creation."""
        key = int(values[cls._chain_key])
        values['previous_hash'] = heads.get(key) or cls.chain_head(key)
        values['chain_hash'] = heads[key] = cls.chain_digest(values)
        return values

    @classmethod
    def chain_breaks(cls, values, previous):
        """Return what breaks the chain at a record's stored values:
        'previous' when it does not follow the record before it, 'hash' when
        its values do not match its hash."""
        breaks = []
        if (values.get('previous_hash') or None) != (previous or None):
            breaks.append('previous')
        if cls.chain_digest(values) != values.get('chain_hash'):
            breaks.append('hash')
        return breaks
