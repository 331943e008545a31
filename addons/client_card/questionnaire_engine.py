# This file is part of the insurance intermediary platform.
"""The questionnaire engine: which questions a set of answers shows and
requires, and what is wrong with the answers.

It works on a version's definition (the dict of the published format, see
questionnaire.schema.json), so the portal reads a frozen version once.
Conditions look at earlier answers only; a hidden question's answer is
dropped, so what depends on it is evaluated as unanswered, and a hidden
question is never required (Odoo's survey blocks on those)."""
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

LANGUAGES = ('it', 'en', 'fa')
NUMERIC = {'integer', 'amount'}
THOUSANDS = re.compile(r'\d{1,3}(\.\d{3})+')


def text(texts, language):
    "Return the text in the language, else Italian, else English."
    texts = texts or {}
    return (texts.get(language) or texts.get('it') or texts.get('en')
        or '')


def sections(definition):
    return definition.get('sections', [])


def questions(definition):
    "Yield the top-level questions in order."
    for section in sections(definition):
        yield from section.get('questions', [])


def by_code(definition):
    "Return every question, group columns included, by code."
    result = {}
    for question in questions(definition):
        result[question['code']] = question
        for child in question.get('questions', []):
            result[child['code']] = child
    return result


# Conditions

def _typed(question, raw):
    "Return the condition's value as the answers of the question are typed."
    kind = question.get('type') if question else 'text'
    if kind == 'boolean':
        return str(raw).lower() in {'true', '1', 'yes', 'si', 'sì'}
    if kind in NUMERIC:
        try:
            return Decimal(str(raw))
        except InvalidOperation:
            return None
    return str(raw)


def _compare(value, operator, target, question):
    if operator == 'set':
        return not empty(value)
    if operator == 'unset':
        return empty(value)
    if empty(value):
        # an unanswered question differs from any value and equals none
        return operator == 'ne'
    if operator == 'in':
        targets = {t.strip() for t in str(target).split(',')}
        values = value if isinstance(value, list) else [value]
        return bool({str(v) for v in values} & targets)
    if isinstance(value, list):
        # a multiple choice equals a code it holds
        if operator == 'eq':
            return str(target) in value
        if operator == 'ne':
            return str(target) not in value
        return False
    target = _typed(question, target)
    if question and question.get('type') in NUMERIC:
        value = Decimal(str(value))
    if target is None:
        return False
    try:
        return {
            'eq': value == target,
            'ne': value != target,
            'gt': value > target,
            'ge': value >= target,
            'lt': value < target,
            'le': value <= target,
            }[operator]
    except TypeError:
        return False


def matches(rule, answers, questions_by_code):
    "Tell whether the answers match a show_if or require_if rule."
    conditions = rule.get('conditions', [])
    results = (_compare(answers.get(c['question']), c['operator'],
            c.get('value'), questions_by_code.get(c['question']))
        for c in conditions)
    if rule.get('match', 'all') == 'any':
        return any(results)
    return all(results)


def _state(question, answers, known):
    visible = True
    if question.get('show_if', {}).get('conditions'):
        visible = matches(question['show_if'], answers, known)
    required = bool(question.get('required'))
    if question.get('require_if', {}).get('conditions'):
        required = required or matches(question['require_if'], answers, known)
    return visible, visible and required and question['type'] != 'card'


def evaluate(definition, answers):
    """Return the answers of the visible questions and, by code, whether
    each question is visible and required."""
    known = by_code(definition)
    effective = {}
    states = {}
    for question in questions(definition):
        visible, required = _state(question, effective, known)
        states[question['code']] = {'visible': visible, 'required': required}
        if visible and question['code'] in answers:
            effective[question['code']] = answers[question['code']]
    return effective, states


def visible_questions(definition, section, answers):
    "Return the visible questions of a section for the answers."
    _, states = evaluate(definition, answers)
    return [q for q in section.get('questions', [])
        if states[q['code']]['visible']]


# Answers

def empty(value):
    return value is None or value == '' or value == [] or value == {}


class AnswerError(ValueError):
    "A wrong answer: its code (for the message) and its values."

    def __init__(self, code, **values):
        super().__init__(code)
        self.code = code
        self.values = values


def parse(question, raw):
    """Return the stored value of a raw form answer (a string, a list of
    strings for a multiple choice), or raise AnswerError."""
    kind = question['type']
    if kind == 'multiple':
        raw = [r for r in (raw or []) if r]
        codes = {o['code'] for o in question.get('options', [])}
        if set(raw) - codes:
            raise AnswerError('choice')
        return [o['code'] for o in question.get('options', [])
            if o['code'] in raw]
    raw = (raw or '').strip() if isinstance(raw, str) else raw
    if empty(raw):
        return None
    if kind == 'integer':
        try:
            return int(_number(raw))
        except ValueError:
            raise AnswerError('integer')
    if kind == 'amount':
        try:
            amount = Decimal(_number(raw))
        except InvalidOperation:
            raise AnswerError('amount')
        if not amount.is_finite() or amount.as_tuple().exponent < -2:
            raise AnswerError('amount')
        return str(amount.quantize(Decimal('0.01')))
    if kind == 'date':
        try:
            return dt.date.fromisoformat(raw).isoformat()
        except ValueError:
            raise AnswerError('date')
    if kind == 'boolean':
        if raw not in {'true', 'false'}:
            raise AnswerError('choice')
        return raw == 'true'
    if kind == 'choice':
        if raw not in {o['code'] for o in question.get('options', [])}:
            raise AnswerError('choice')
    return raw


def _number(raw):
    "Return a number typed the Italian way (1.250,50) as Python reads it."
    raw = raw.replace(' ', '').replace('\u00a0', '')
    if ',' in raw:
        return raw.replace('.', '').replace(',', '.')
    if THOUSANDS.fullmatch(raw):
        return raw.replace('.', '')
    return raw


def check_value(question, value, required):
    "Raise AnswerError when the stored value breaks the question's rules."
    if empty(value):
        if required:
            raise AnswerError('required')
        return
    kind = question['type']
    low, high = question.get('min'), question.get('max')
    if kind in NUMERIC:
        measure = Decimal(str(value))
    elif kind in {'multiple', 'group'}:
        measure = len(value)
    elif kind in {'text', 'long_text'}:
        measure = len(value)
        pattern = question.get('pattern')
        if pattern and not re.fullmatch(pattern, value):
            raise AnswerError('pattern')
    else:
        return
    if low is not None and measure < Decimal(str(low)):
        raise AnswerError('min_' + _unit(kind), limit=low)
    if high is not None and measure > Decimal(str(high)):
        raise AnswerError('max_' + _unit(kind), limit=high)


def _unit(kind):
    return {'multiple': 'count', 'group': 'rows', 'text': 'length',
        'long_text': 'length'}.get(kind, 'value')


def check(definition, answers, section_codes=None):
    """Return the errors of the answers by form field name (a question's
    code, or <group>-<row>-<code> for a group's cell): only visible
    questions, of the sections named (all by default)."""
    effective, states = evaluate(definition, answers)
    errors = {}
    for section in sections(definition):
        if section_codes is not None and section['code'] not in section_codes:
            continue
        for question in section.get('questions', []):
            state = states[question['code']]
            if not state['visible']:
                continue
            value = effective.get(question['code'])
            try:
                check_value(question, value, state['required'])
            except AnswerError as error:
                errors[question['code']] = error
            if question['type'] == 'group':
                errors.update(check_rows(question, value or [], effective))
    return errors


def check_rows(group, rows, effective):
    known = {c['code']: c for c in group.get('questions', [])}
    errors = {}
    for index, row in enumerate(rows):
        for child in group.get('questions', []):
            visible, required = _state(child, {**effective, **row}, known)
            if not visible:
                continue
            try:
                check_value(child, row.get(child['code']), required)
            except AnswerError as error:
                errors[f"{group['code']}-{index}-{child['code']}"] = error
    return errors


def clean(definition, answers):
    "Return the answers with those of hidden questions dropped."
    effective, _ = evaluate(definition, answers)
    return effective


def complete(definition, answers):
    "Tell whether every visible question is answered as its rules want."
    return not check(definition, answers)
