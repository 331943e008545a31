# This file is part of the insurance intermediary platform.
"""Sections, questions, their choices and conditions: the parts of a
questionnaire version, changed only while the version is a draft."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields, sequence_ordered
from trytond.pyson import Bool, Eval

from .questionnaire_exceptions import QuestionnairePublishedError

TYPES = [
    ('text', "Text"),
    ('long_text', "Long text"),
    ('integer', "Whole number"),
    ('amount', "Amount in euro"),
    ('date', "Date"),
    ('boolean', "Yes / no"),
    ('choice', "Single choice"),
    ('multiple', "Multiple choice"),
    ('file', "File upload"),
    ('group', "Repeating group"),
    ('card', "Value from the card (read-only)"),
    ]
MATCHES = [
    ('all', "All conditions (AND)"),
    ('any', "Any condition (OR)"),
    ]
OPERATORS = [
    ('eq', "equals"),
    ('ne', "differs from"),
    ('in', "is one of (comma separated)"),
    ('gt', "greater than"),
    ('ge', "at least"),
    ('lt', "less than"),
    ('le', "at most"),
    ('set', "is answered"),
    ('unset', "is not answered"),
    ]
EFFECTS = [
    ('show', "Show the question"),
    ('require', "Require the question"),
    ]


class _VersionPart:
    "A part of a version: frozen with it."
    __slots__ = ()

    def part_version(self):
        raise NotImplementedError

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        for record in records:
            version = record.part_version()
            if version and version.state != 'draft':
                raise QuestionnairePublishedError(gettext(
                        'client_card.msg_questionnaire_version_not_draft',
                        version=version.number,
                        form=version.questionnaire.rec_name,
                        state=version.state_string))


class Section(sequence_ordered(), _VersionPart, ModelSQL, ModelView):
    "Questionnaire Section"
    __name__ = 'questionnaire.section'
    version = fields.Many2One('questionnaire.version', "Version",
        required=True, ondelete='CASCADE')
    code = fields.Char("Code", required=True, size=50)
    title = fields.Char("Title", required=True, translate=True, size=200)
    help = fields.Text("Help", translate=True)
    questions = fields.One2Many('questionnaire.question', 'section',
        "Questions", filter=[('parent', '=', None)])

    def part_version(self):
        return self.version


class Question(sequence_ordered(), _VersionPart, ModelSQL, ModelView):
    "Questionnaire Question"
    __name__ = 'questionnaire.question'
    section = fields.Many2One('questionnaire.section', "Section",
        ondelete='CASCADE',
        states={'required': ~Eval('parent'), 'invisible': Bool(
                Eval('parent'))})
    parent = fields.Many2One('questionnaire.question', "Group",
        ondelete='CASCADE', domain=[('type', '=', 'group')],
        help="The repeating group the question is a column of.")
    children = fields.One2Many('questionnaire.question', 'parent',
        "Questions of the Group",
        states={'invisible': Eval('type') != 'group'})
    code = fields.Char("Code", required=True, size=50,
        help="The name of the answer: letters, digits and underscores.")
    label = fields.Char("Label", required=True, translate=True, size=500)
    help = fields.Text("Help", translate=True)
    type = fields.Selection(TYPES, "Type", required=True)
    required = fields.Boolean("Required")
    min_value = fields.Numeric("Minimum",
        help="Numbers: the smallest value; choices and groups: the fewest "
        "answers or rows; text: the fewest characters.")
    max_value = fields.Numeric("Maximum")
    pattern = fields.Char("Pattern", size=200,
        help="A regular expression the whole text answer must match.",
        states={'invisible': ~Eval('type').in_(['text', 'long_text'])})
    prefill = fields.Char("Card Value", size=200,
        help="The card values that pre-fill the answer, as section.field, "
        "several separated by spaces (e.g. residence.residence_street "
        "residence.residence_street_number); what a card question shows.")
    options = fields.One2Many('questionnaire.question.option', 'question',
        "Choices", states={
            'invisible': ~Eval('type').in_(['choice', 'multiple'])})
    show_match = fields.Selection(MATCHES, "Show When", required=True)
    require_match = fields.Selection(MATCHES, "Require When", required=True)
    conditions = fields.One2Many('questionnaire.question.condition',
        'question', "Conditions",
        help="Conditions on earlier answers. A question with show "
        "conditions is hidden until they match, and a hidden question is "
        "never required.")

    @classmethod
    def default_type(cls):
        return 'text'

    @classmethod
    def default_show_match(cls):
        return 'all'

    @classmethod
    def default_require_match(cls):
        return 'all'

    def part_version(self):
        if self.section:
            return self.section.version
        if self.parent:
            return self.parent.part_version()

    def get_rec_name(self, name):
        return f'{self.code}: {self.label}'


class Option(sequence_ordered(), _VersionPart, ModelSQL, ModelView):
    "Questionnaire Choice"
    __name__ = 'questionnaire.question.option'
    question = fields.Many2One('questionnaire.question', "Question",
        required=True, ondelete='CASCADE')
    code = fields.Char("Code", required=True, size=50)
    label = fields.Char("Label", required=True, translate=True, size=500)

    def part_version(self):
        return self.question.part_version()


class Condition(sequence_ordered(), _VersionPart, ModelSQL, ModelView):
    "Questionnaire Condition"
    __name__ = 'questionnaire.question.condition'
    question = fields.Many2One('questionnaire.question', "Question",
        required=True, ondelete='CASCADE')
    effect = fields.Selection(EFFECTS, "Effect", required=True)
    source = fields.Char("Earlier Question", required=True, size=50,
        help="The code of an earlier question.")
    operator = fields.Selection(OPERATORS, "Operator", required=True)
    value = fields.Char("Value", size=200, states={
            'invisible': Eval('operator').in_(['set', 'unset'])},
        help="A choice's code, true or false for yes/no, a number or a "
        "date (YYYY-MM-DD).")

    @classmethod
    def default_effect(cls):
        return 'show'

    @classmethod
    def default_operator(cls):
        return 'eq'

    def part_version(self):
        return self.question.part_version()
