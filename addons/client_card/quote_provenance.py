# This file is part of the insurance intermediary platform.
"""Provenance of every answer of a quote collection, as the card keeps it
for its fields: an append-only row per question and change, saying where
the value came from (the card, a document read, the client in the portal,
staff on the client's behalf), who, when and from which address.

The collection writes the rows when it is pre-filled and at every save of
its answers, from what the transaction knows (the card's context keys
``card_channel`` and ``card_reference``); what a document stated stays in
its row after someone corrects the answer."""
import json

from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.portal.append_only import AppendOnlyMixin
from trytond.pool import Pool
from trytond.transaction import without_check_access

from . import questionnaire_engine as engine
from .provenance import ChangeProvenance
from .questionnaire_exceptions import QuoteProvenanceImmutable


class AnswerHistory(
        ChangeProvenance, AppendOnlyMixin, ModelSQL, ModelView):
    "Quote Collection Answer History"
    __name__ = 'quote.collection.history'
    _append_only_error = (
        QuoteProvenanceImmutable, 'client_card.msg_quote_history_immutable')

    collection = fields.Many2One('quote.collection', "Collection",
        required=True, readonly=True, ondelete='CASCADE')
    question = fields.Char("Question", required=True, readonly=True)
    label = fields.Function(fields.Char("Label"), 'get_label')
    value = fields.Text("Value", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.reference.help = (
            "Where the value was read: the card, a document and its page.")
        cls.__access__.add('collection')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.collection, Index.Range()), (t.id, Index.Range())))
        cls._order = [('collection', 'ASC'), ('id', 'ASC')]

    def get_label(self, name):
        question = engine.by_code(self.collection.definition()).get(
            self.question, {})
        return engine.text(question.get('label'), 'it') or self.question

    @classmethod
    def record(cls, collection, changes, reference=None, channel=None):
        """Add a row per changed answer ({question: value}) of the
        collection, with who, when and how of the transaction."""
        History = Pool().get('party.card.history')
        if not changes:
            return []
        base = History.context_values()
        if channel:
            base['channel'] = channel
        if reference:
            base['reference'] = reference[:500]
        # the rows are the server's evidence: no one creates them directly
        with without_check_access():
            return cls.create([dict(base, collection=collection.id,
                        question=code, value=cls.dump(value))
                    for code, value in changes.items()])

    @staticmethod
    def dump(value):
        if engine.empty(value):
            return None
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    @classmethod
    def of(cls, collection):
        "Return the rows of the collection by question, oldest first."
        result = {}
        for row in cls.search([('collection', '=', collection.id)]):
            result.setdefault(row.question, []).append(row)
        return result
