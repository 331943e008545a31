# This file is part of the insurance intermediary platform.
"""What sends a card's change to the synchronisation targets.

A confirmed change of a card (``Party.on_card_confirmed``), or a change of
the party, its addresses, contacts or identifiers, pushes a queue task
that runs after the commit and gives the changed cards to each target
(``client_card.sync.target.card_changed``). A card whose values did not
change for a target gives it nothing, so a change seen twice goes once."""
import weakref

from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

# the cards each transaction pushed, with the provenance of their change
_PUSHED = weakref.WeakKeyDictionary()


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def on_card_confirmed(cls, parties):
        confirmed = getattr(super(), 'on_card_confirmed', None)
        if confirmed:
            confirmed(parties)
        cls.card_sync_later(parties)

    @classmethod
    def card_sync_later(cls, parties):
        "Give the cards to the targets after the commit."
        transaction = Transaction()
        context = transaction.context
        if context.get('card_sync_disabled') or not parties:
            return
        origin = (context.get('card_channel'), context.get('card_reference'))
        pushed = _PUSHED.setdefault(transaction, set())
        parties = [p for p in parties if (p.id, origin) not in pushed]
        if parties:
            pushed.update((p.id, origin) for p in parties)
            cls.__queue__.card_sync(parties)

    @classmethod
    def card_sync(cls, parties):
        Target = Pool().get('client_card.sync.target')
        parties = cls.browse(parties)
        Target.card_changed([p for p in parties if p.active])
        Target.card_deleted([p for p in parties if not p.active])

    @classmethod
    def on_modification(cls, mode, parties, field_names=None):
        super().on_modification(mode, parties, field_names=field_names)
        if mode in {'create', 'write'}:
            cls.card_sync_later(parties)

    @classmethod
    def on_delete(cls, parties):
        Target = Pool().get('client_card.sync.target')
        callbacks = super().on_delete(parties)
        Target.card_deleted(parties)
        return callbacks


class CardPart:
    "A part of the card: its change is a change of its party's card."
    __slots__ = ()

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        if mode in {'create', 'write'}:
            Party = Pool().get('party.party')
            Party.card_sync_later(
                list({r.party for r in records if r.party}))

    @classmethod
    def on_delete(cls, records):
        callbacks = super().on_delete(records)
        parties = list({r.party for r in records if r.party})
        if parties:
            Party = Pool().get('party.party')
            callbacks.append(lambda: Party.card_sync_later(parties))
        return callbacks


class Address(CardPart, metaclass=PoolMeta):
    __name__ = 'party.address'


class ContactMechanism(CardPart, metaclass=PoolMeta):
    __name__ = 'party.contact_mechanism'


class Identifier(CardPart, metaclass=PoolMeta):
    __name__ = 'party.identifier'
