# This file is part of the insurance intermediary platform.
"""A questionnaire version as JSON, the format of questionnaire.schema.json:
export, checks (the schema, then codes, conditions and patterns) and
import, so a questionnaire moves between databases. The same JSON, in its
canonical form, is what a published version freezes and hashes."""
import json
import os
import re
from decimal import Decimal

import jsonschema

from trytond.pool import Pool
from trytond.transaction import Transaction

from .questionnaire_engine import LANGUAGES

SCHEMA_PATH = os.path.join(os.path.dirname(__file__),
    'questionnaire.schema.json')
FORMAT = 1
_schema = None


def schema():
    global _schema
    if _schema is None:
        with open(SCHEMA_PATH, encoding='utf-8') as file:
            _schema = json.load(file)
    return _schema


def dumps(data, indent=None):
    "Return the canonical JSON (sorted keys, UTF-8 text)."
    separators = (',', ':') if indent is None else (',', ': ')
    return json.dumps(data, sort_keys=True, ensure_ascii=False,
        separators=separators, indent=indent)


# Export

def _texts(records, name):
    "Return {language: text} of a translated field, empty ones left out."
    texts = {}
    for language, record in records.items():
        value = getattr(record, name)
        if value:
            texts[language] = value
    return texts


def _in_languages(record):
    result = {}
    for language in LANGUAGES:
        with Transaction().set_context(language=language):
            result[language] = record.__class__(record.id)
    return result


def _number(value):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral() else float(value)


def _rule(question, effect):
    conditions = [c for c in question.conditions if c.effect == effect]
    if not conditions:
        return None
    match = question.show_match if effect == 'show' else (
        question.require_match)
    return {
        'match': match,
        'conditions': [{
                'question': c.source, 'operator': c.operator,
                'value': c.value if c.operator not in {'set', 'unset'}
                else None} for c in conditions],
        }


def export_question(question):
    records = _in_languages(question)
    data = {
        'code': question.code,
        'type': question.type,
        'label': _texts(records, 'label'),
        'required': bool(question.required),
        }
    if _texts(records, 'help'):
        data['help'] = _texts(records, 'help')
    for key, name in [('min', 'min_value'), ('max', 'max_value')]:
        if getattr(question, name) is not None:
            data[key] = _number(getattr(question, name))
    for key in ['pattern', 'prefill']:
        if getattr(question, key):
            data[key] = getattr(question, key)
    if question.type in {'choice', 'multiple'}:
        data['options'] = [{
                'code': o.code,
                'label': _texts(_in_languages(o), 'label'),
                } for o in question.options]
    for key, effect in [('show_if', 'show'), ('require_if', 'require')]:
        rule = _rule(question, effect)
        if rule:
            data[key] = rule
    if question.type == 'group':
        data['questions'] = [export_question(c) for c in question.children]
    return data


def export(version):
    "Return the version as the dict of the JSON format."
    questionnaire = version.questionnaire
    data = {
        'format': FORMAT,
        'code': questionnaire.code,
        'kind': questionnaire.kind,
        'name': _texts(_in_languages(questionnaire), 'name'),
        'sections': [],
        }
    for section in version.sections:
        records = _in_languages(section)
        item = {
            'code': section.code,
            'title': _texts(records, 'title'),
            'questions': [export_question(q) for q in section.questions],
            }
        if _texts(records, 'help'):
            item['help'] = _texts(records, 'help')
        data['sections'].append(item)
    return data


# Checks

def problems(data):
    "Return what is wrong with the data, as texts; empty when it is right."
    validator = jsonschema.Draft202012Validator(schema())
    found = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: "
        f"{e.message}" for e in validator.iter_errors(data)]
    if found:
        return found
    seen = set()
    for section in data['sections']:
        for question in section['questions']:
            found.extend(_question_problems(question, seen))
    return found


def _question_problems(question, seen, group=None):
    found = []
    code = question['code']
    if code in seen:
        found.append(f'{code}: the code is used twice')
    for rule in [question.get('show_if'), question.get('require_if')]:
        for condition in (rule or {}).get('conditions', []):
            source = condition['question']
            if source not in seen and source not in (group or set()):
                found.append(f'{code}: the condition looks at "{source}", '
                    'which is not an earlier question')
    seen.add(code)
    if question['type'] in {'choice', 'multiple'} and not question.get(
            'options'):
        found.append(f'{code}: a choice needs its options')
    if question['type'] == 'group':
        if not question.get('questions'):
            found.append(f'{code}: a group needs its questions')
        if group is not None:
            found.append(f'{code}: groups do not nest')
        columns = set()
        for child in question.get('questions', []):
            found.extend(_question_problems(child, seen, columns))
            columns.add(child['code'])
    elif question['type'] == 'card' and not question.get('prefill'):
        found.append(f'{code}: a card value names the card field it shows')
    if question.get('pattern'):
        try:
            re.compile(question['pattern'])
        except re.error:
            found.append(f'{code}: the pattern is not a regular expression')
    low, high = question.get('min'), question.get('max')
    if low is not None and high is not None and low > high:
        found.append(f'{code}: the minimum is above the maximum')
    return found


# Import

def load(data):
    """Create a draft version of the questionnaire of the data (creating the
    questionnaire when its code is new); return it. The data must have no
    problems (see problems())."""
    pool = Pool()
    Questionnaire = pool.get('questionnaire')
    Version = pool.get('questionnaire.version')
    questionnaires = Questionnaire.search([('code', '=', data['code'])])
    if questionnaires:
        questionnaire, = questionnaires
    else:
        questionnaire = Questionnaire(code=data['code'], kind=data['kind'])
    translated = [(questionnaire, {'name': data['name']})]
    _set(questionnaire, {'name': data['name']})
    questionnaire.save()
    version = Version(questionnaire=questionnaire, sections=[])
    version.sections = [_section(item, position)
        for position, item in enumerate(data['sections'])]
    version.save()
    for section, item in zip(version.sections, data['sections']):
        translated.append((section, _section_texts(item)))
        _collect(section.questions, item['questions'], translated)
    _translate(translated)
    return version


def _default(texts):
    return texts.get('en') or texts.get('it')


def _set(record, texts):
    for name, values in texts.items():
        setattr(record, name, _default(values))


def _section(item, position):
    Section = Pool().get('questionnaire.section')
    section = Section(code=item['code'], sequence=position)
    _set(section, _section_texts(item))
    section.questions = [_question(q, i)
        for i, q in enumerate(item['questions'])]
    return section


def _section_texts(item):
    texts = {'title': item['title']}
    if item.get('help'):
        texts['help'] = item['help']
    return texts


def _question_texts(item):
    texts = {'label': item['label']}
    if item.get('help'):
        texts['help'] = item['help']
    return texts


def _question(item, position):
    pool = Pool()
    Question = pool.get('questionnaire.question')
    Option = pool.get('questionnaire.question.option')
    Condition = pool.get('questionnaire.question.condition')
    question = Question(
        code=item['code'], type=item['type'], sequence=position,
        required=item.get('required', False),
        min_value=_decimal(item.get('min')),
        max_value=_decimal(item.get('max')),
        pattern=item.get('pattern'), prefill=item.get('prefill'),
        show_match=(item.get('show_if') or {}).get('match', 'all'),
        require_match=(item.get('require_if') or {}).get('match', 'all'))
    _set(question, _question_texts(item))
    options = []
    for index, value in enumerate(item.get('options', [])):
        option = Option(code=value['code'], sequence=index)
        _set(option, {'label': value['label']})
        options.append(option)
    question.options = options
    conditions = []
    for key, effect in [('show_if', 'show'), ('require_if', 'require')]:
        for condition in (item.get(key) or {}).get('conditions', []):
            conditions.append(Condition(
                    effect=effect, source=condition['question'],
                    operator=condition['operator'],
                    value=condition.get('value'),
                    sequence=len(conditions)))
    question.conditions = conditions
    question.children = [_question(c, i)
        for i, c in enumerate(item.get('questions', []))]
    return question


def _decimal(value):
    return None if value is None else Decimal(str(value))


def _collect(questions, items, translated):
    "Pair the saved questions and options with their texts."
    for question, item in zip(questions, items):
        translated.append((question, _question_texts(item)))
        for option, value in zip(question.options, item.get('options', [])):
            translated.append((option, {'label': value['label']}))
        _collect(question.children, item.get('questions', []), translated)


def _translate(translated):
    "Write the Italian and Persian texts (English is the stored one)."
    for language in LANGUAGES:
        with Transaction().set_context(language=language):
            for record, texts in translated:
                values = {name: values[language]
                    for name, values in texts.items()
                    if values.get(language)}
                if values and language != 'en':
                    record.__class__.write(
                        [record.__class__(record.id)], values)
