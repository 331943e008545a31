# This file is part of the insurance intermediary platform.
"""Staff fill a quote collection in on the client's behalf (a phone call,
a paper form): answer by answer, each read as the portal reads it and kept
with its provenance (channel back office, the staff user)."""
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from . import questionnaire_engine as engine
from .answer_text import display
from .quote import FILLED_ELSEWHERE



class FillStart(ModelView):
    "Fill In a Quote Collection"
    __name__ = 'quote.collection.fill.start'
    collection = fields.Many2One('quote.collection', "Collection",
        readonly=True)
    question = fields.Selection('get_questions', "Question", required=True)
    value = fields.Char("Answer",
        help="As the client would type it: 1.250,50 for an amount, "
        "YYYY-MM-DD for a date, the option's code for a choice "
        "(several separated by commas).")
    answers = fields.Text("Answers Given", readonly=True)

    @classmethod
    def get_questions(cls):
        Collection = Pool().get('quote.collection')
        context = Transaction().context
        if context.get('active_model') != 'quote.collection':
            return []
        collection = Collection(context['active_id'])
        return [(code, engine.text(q.get('label'), 'it') or code)
            for code, q in engine.by_code(collection.definition()).items()
            if q['type'] not in FILLED_ELSEWHERE]


class Fill(Wizard):
    "Fill In a Quote Collection"
    __name__ = 'quote.collection.fill'
    start = StateView('quote.collection.fill.start',
        'client_card.collection_fill_start_view_form', [
            Button("Close", 'end', 'tryton-cancel'),
            Button("Save and Next", 'save_next', 'tryton-forward'),
            Button("Save", 'save', 'tryton-ok', default=True),
            ])
    save_next = StateTransition()
    save = StateTransition()

    def default_start(self, fields):
        collection = self.record
        answers = collection.get_answers()
        known = engine.by_code(collection.definition())
        return {
            'collection': collection.id,
            'answers': '\n'.join(
                f"{engine.text(known[c].get('label'), 'it') or c}: "
                f"{display(known[c], v, 'it')}"
                for c, v in answers.items() if c in known),
            }

    def _save(self):
        question = engine.by_code(self.record.definition())[
            self.start.question]
        raw = self.start.value or ''
        if question['type'] == 'multiple':
            raw = [v.strip() for v in raw.split(',') if v.strip()]
        self.record.fill_in({self.start.question: raw})

    def transition_save_next(self):
        self._save()
        return 'start'

    def transition_save(self):
        self._save()
        return 'end'
