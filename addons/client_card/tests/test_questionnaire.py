# This file is part of the insurance intermediary platform.
"""The questionnaire engine: versions frozen once published, conditions
with AND and OR where hidden questions are never required, repeating
groups, the JSON format and its schema, pre-fill from the card, the
demands-and-needs refusal and the answers' access rules."""
import io
import json
import os

from pypdf import PdfReader

from trytond.model.exceptions import AccessError
from trytond.modules.client_card import questionnaire_engine as engine
from trytond.modules.client_card import questionnaire_json
from trytond.modules.client_card.questionnaire_exceptions import (
    QuestionnaireImportError, QuestionnairePublishedError,
    QuoteConfirmedError, QuoteIncompleteError, VersionPublishedError)
from trytond.modules.client_card.questionnaire_import import load_json
from trytond.modules.portal.tests.tools import PlatformTestCase, outbox
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

FOLDER = os.path.join(os.path.dirname(__file__), '..', 'questionnaires')


def shipped(code):
    with open(os.path.join(FOLDER, f'{code}.json'), encoding='utf-8') as f:
        return json.load(f)


def publish(code):
    "Import the shipped questionnaire and publish its version."
    Version = Pool().get('questionnaire.version')
    version = questionnaire_json.load(shipped(code))
    Version.publish([version])
    return version


def risk_type(code='casa'):
    RiskType = Pool().get('quote.risk.type')
    Questionnaire = Pool().get('questionnaire')
    questionnaire, = Questionnaire.search([('code', '=', code)])
    risk = RiskType(code=code, name=code.title(), line_code='rca',
        questionnaire=questionnaire)
    risk.save()
    return risk


def client(name='Mario Rossi', email='mario.rossi@example.it'):
    "Return a client whose card has its residence."
    Party = Pool().get('party.party')
    party = Party(name=name, contact_mechanisms=[
            {'type': 'email', 'value': email}],
        residence_street='Via Roma', residence_street_number='1',
        residence_postal_code='20121', residence_city='Milano')
    party.save()
    return party


def condition(question, operator='eq', value='true'):
    return {'question': question, 'operator': operator, 'value': value}


def T(text):
    return {'it': text, 'en': text, 'fa': text}


def definition(*questions):
    return {'sections': [{'code': 's', 'title': T('S'),
                'questions': list(questions)}]}


def question(code, type_='text', **values):
    return dict({'code': code, 'type': type_, 'label': T(code)}, **values)


class QuestionnaireTestCase(PlatformTestCase):
    "Test the questionnaire engine"
    module = 'client_card'

    # Engine, without the database

    def test_condition_and(self):
        "AND: a question shows only when every condition matches"
        data = definition(
            question('a', 'boolean'), question('b', 'integer'),
            question('c', required=True, show_if={'match': 'all',
                    'conditions': [condition('a'),
                        condition('b', 'gt', '10')]}))
        for answers, visible in [
                ({'a': True, 'b': 11}, True),
                ({'a': True, 'b': 10}, False),
                ({'a': False, 'b': 11}, False),
                ({}, False)]:
            with self.subTest(answers=answers):
                _, states = engine.evaluate(data, answers)
                self.assertEqual(states['c']['visible'], visible)
                self.assertEqual('c' in engine.check(data, answers), visible)

    def test_condition_or(self):
        "OR: a question shows when any condition matches"
        data = definition(
            question('a', 'choice', options=[
                    {'code': 'x', 'label': T('x')},
                    {'code': 'y', 'label': T('y')}]),
            question('b', 'boolean'),
            question('c', required=True, show_if={'match': 'any',
                    'conditions': [condition('a', 'eq', 'x'),
                        condition('b')]}))
        for answers, visible in [
                ({'a': 'x', 'b': False}, True),
                ({'a': 'y', 'b': True}, True),
                ({'a': 'y', 'b': False}, False)]:
            with self.subTest(answers=answers):
                _, states = engine.evaluate(data, answers)
                self.assertEqual(states['c']['visible'], visible)

    def test_hidden_never_required(self):
        "A hidden required question, or one hidden by a hidden one, blocks nothing"
        data = definition(
            question('a', 'boolean', required=True),
            question('b', required=True, show_if={'match': 'all',
                    'conditions': [condition('a')]}),
            question('c', required=True, show_if={'match': 'all',
                    'conditions': [condition('b', 'set')]}))
        self.assertEqual(engine.check(data, {'a': False}), {})
        # an answer typed before the question was hidden is dropped
        self.assertEqual(
            engine.clean(data, {'a': False, 'b': 'old', 'c': 'x'}),
            {'a': False})
        self.assertEqual(set(engine.check(data, {'a': True})), {'b'})
        self.assertEqual(set(engine.check(data, {'a': True, 'b': 'x'})),
            {'c'})

    def test_require_if(self):
        "A question required only when an earlier answer matches"
        data = definition(
            question('a', 'boolean'),
            question('b', require_if={'match': 'all',
                    'conditions': [condition('a')]}))
        self.assertEqual(engine.check(data, {'a': False}), {})
        self.assertEqual(engine.check(data, {'a': True})['b'].code,
            'required')

    def test_rules(self):
        "Minimum, maximum and pattern"
        data = definition(
            question('n', 'integer', min=1, max=5),
            question('t', pattern=r'\d{5}'),
            question('m', 'multiple', max=1, options=[
                    {'code': 'x', 'label': T('x')},
                    {'code': 'y', 'label': T('y')}]))
        errors = engine.check(data, {'n': 6, 't': '2012', 'm': ['x', 'y']})
        self.assertEqual({k: e.code for k, e in errors.items()}, {
                'n': 'max_value', 't': 'pattern', 'm': 'max_count'})
        self.assertEqual(engine.check(
                data, {'n': 1, 't': '20121', 'm': ['x']}), {})

    def test_parse(self):
        "Typed answers become the stored values or a per-field error"
        amount = question('a', 'amount')
        self.assertEqual(engine.parse(amount, '250.000,50'), '250000.50')
        self.assertEqual(engine.parse(amount, '1200'), '1200.00')
        self.assertEqual(engine.parse(question('i', 'integer'), '۱۲'), 12)
        self.assertEqual(engine.parse(question('d', 'date'), '2026-03-01'),
            '2026-03-01')
        for kind, raw, code in [('amount', 'abc', 'amount'),
                ('integer', '1,5', 'integer'), ('date', '31/02', 'date')]:
            with self.subTest(kind=kind), self.assertRaises(
                    engine.AnswerError) as caught:
                engine.parse(question('x', kind), raw)
            self.assertEqual(caught.exception.code, code)

    def test_repeating_group(self):
        "A repeating group's rows are checked cell by cell, and counted"
        data = definition(question('altri', 'group', required=True, min=1,
                max=2,
                questions=[
                    question('indirizzo', required=True),
                    question('mq', 'integer', min=10)]))
        self.assertEqual(engine.check(data, {'altri': []})['altri'].code,
            'required')
        errors = engine.check(data, {'altri': [
                    {'indirizzo': 'Via Po 1', 'mq': 80},
                    {'mq': 5}]})
        self.assertEqual({k: e.code for k, e in errors.items()}, {
                'altri-1-indirizzo': 'required', 'altri-1-mq': 'min_value'})
        errors = engine.check(data, {'altri': [{'indirizzo': 'x'}] * 3})
        self.assertEqual(errors['altri'].code, 'max_rows')

    def test_schema(self):
        "The shipped questionnaires follow the schema; wrong ones are named"
        for code in ['casa', 'globale_fabbricati', 'bisogni_assicurativi']:
            with self.subTest(code=code):
                self.assertEqual(questionnaire_json.problems(shipped(code)),
                    [])
        data = shipped('casa')
        data['sections'][0]['questions'][0]['type'] = 'slider'
        self.assertTrue(any('slider' in p
                for p in questionnaire_json.problems(data)))
        data = shipped('casa')
        data['sections'][0]['questions'][0]['show_if'] = {
            'match': 'all', 'conditions': [condition('allarme')]}
        self.assertTrue(any('earlier question' in p
                for p in questionnaire_json.problems(data)))

    # Versions in the database

    @with_transaction()
    def test_json_round_trip(self):
        "A questionnaire exported and imported is the same questionnaire"
        pool = Pool()
        Questionnaire = pool.get('questionnaire')
        data = shipped('casa')
        version = questionnaire_json.load(data)
        exported = questionnaire_json.export(version)
        self.assertEqual(exported, data)
        self.assertEqual(questionnaire_json.problems(exported), [])
        # into another "database": the questionnaire is new there
        Questionnaire.write([version.questionnaire], {'code': 'casa_old'})
        again = load_json(json.dumps(exported).encode())
        self.assertEqual(questionnaire_json.export(again), data)
        self.assertEqual(again.questionnaire.code, 'casa')
        # in Persian the label is the Persian one
        with Transaction().set_context(language='fa'):
            Section = pool.get('questionnaire.section')
            section = Section(again.sections[0].id)
            self.assertEqual(section.title, data['sections'][0]['title']['fa'])

    @with_transaction()
    def test_import_refused(self):
        "A file that is not of the format is refused with its problems"
        with self.assertRaises(QuestionnaireImportError):
            load_json(b'{"format": 1}')
        with self.assertRaises(QuestionnaireImportError):
            load_json(b'not json')

    @with_transaction()
    def test_published_immutable(self):
        "A published version, its sections, questions and choices are frozen"
        pool = Pool()
        Version = pool.get('questionnaire.version')
        Question = pool.get('questionnaire.question')
        Option = pool.get('questionnaire.question.option')
        Section = pool.get('questionnaire.section')
        version = publish('casa')
        self.assertEqual(version.state, 'published')
        self.assertEqual(len(version.content_hash), 64)
        self.assertEqual(version.content_hash, version.compute_hash())
        draft, = Version.new_draft([version])
        self.assertEqual((draft.state, draft.number), ('draft', 2))
        self.assertEqual(questionnaire_json.export(draft),
            questionnaire_json.export(version))
        question = version.sections[0].questions[0]
        for action in [
                lambda: Version.write([version], {'content': '{}'}),
                lambda: Version.delete([version]),
                lambda: Question.write([question], {'required': False}),
                lambda: Question.delete([question]),
                lambda: Option.write(
                    [version.sections[0].questions[2].options[0]],
                    {'code': 'x'}),
                lambda: Section.create([{'version': version.id,
                            'code': 'new', 'title': 'New'}]),
                lambda: Question.create([{
                            'section': version.sections[0].id,
                            'code': 'new', 'label': 'New',
                            'type': 'text'}]),
                ]:
            with self.subTest(action=action), self.assertRaises(
                    VersionPublishedError):
                action()
        self.assertTrue(issubclass(QuestionnairePublishedError,
                VersionPublishedError))
        # the draft copied from it changes, and publishing it retires it
        Question.write([draft.sections[0].questions[0]], {'required': False})
        Version.publish([draft])
        self.assertEqual(Version(version.id).state, 'retired')
        self.assertEqual(version.questionnaire.current_version, draft)

    @with_transaction()
    def test_publish_checks(self):
        "A version with a broken condition cannot be published"
        pool = Pool()
        Version = pool.get('questionnaire.version')
        Condition = pool.get('questionnaire.question.condition')
        version = questionnaire_json.load(shipped('casa'))
        question = version.sections[0].questions[0]
        Condition.create([{'question': question.id, 'source': 'nowhere',
                    'operator': 'set'}])
        with self.assertRaises(Exception) as caught:
            Version.publish([version])
        self.assertIn('nowhere', str(caught.exception))

    # Collections

    def start(self, party=None, code='casa'):
        pool = Pool()
        Collection = pool.get('quote.collection')
        RiskType = pool.get('quote.risk.type')
        risks = RiskType.search([('code', '=', code)])
        if not risks:
            publish('bisogni_assicurativi')
            publish(code)
            risks = [risk_type(code)]
        return Collection.start(party or client(), risks[0], language='it')

    @with_transaction()
    def test_prefill_from_card(self):
        "The home's address defaults to the residence on the card"
        collection = self.start()
        answers = collection.get_answers()
        self.assertEqual(answers['indirizzo'], 'Via Roma 1')
        self.assertEqual(answers['cap'], '20121')
        self.assertEqual(answers['residente'], 'Milano')
        # a card value is not typed over
        collection.save_answers({'residente': 'Roma'})
        self.assertEqual(collection.get_answers()['residente'], 'Milano')

    @with_transaction()
    def test_pages(self):
        "The demands and needs come first, then the risk's sections"
        collection = self.start()
        self.assertEqual([p['code'] for p in collection.pages()], [
                'richieste_esigenze', 'abitazione', 'somme', 'storia'])
        errors = collection.save_answers({'dn_eta': 17}, page=0)
        self.assertEqual(errors['dn_eta'].code, 'min_value')
        self.assertIn('dn_lavoro', errors)
        # the draft keeps what was typed
        self.assertEqual(collection.get_answers()['dn_eta'], 17)

    def answer_home(self, collection, refuse=False):
        needs = {'dn_rifiuto': True} if refuse else {
            'dn_rifiuto': False, 'dn_eta': 40, 'dn_lavoro': 'dipendente',
            'dn_famiglia': 'figli', 'dn_aspettative': 'completa',
            'dn_durata': 'annuale'}
        return collection.save_answers(dict(needs, **{
                    'tipo_abitazione': 'appartamento', 'uso': 'abituale',
                    'metri_quadri': 90, 'anno_costruzione': 1975,
                    'costruzione': 'cemento', 'allarme': False,
                    'somma_fabbricato': '250000.00',
                    'somma_contenuto': '50000.00', 'sinistri': False,
                    'polizza_esistente': False,
                    }))

    @with_transaction()
    def test_refusal_recorded(self):
        "The client's refusal to answer the demands and needs is recorded"
        collection = self.start()
        self.assertEqual(self.answer_home(collection, refuse=True), {})
        collection.__class__.confirm([collection])
        self.assertEqual(collection.state, 'confirmed')
        self.assertTrue(collection.needs_refused)
        text = ''.join(p.extract_text()
            for p in PdfReader(io.BytesIO(collection.pdf)).pages)
        self.assertIn('rifiutato di fornire', text)
        self.assertNotIn('dn_eta', collection.get_answers())

    @with_transaction()
    def test_confirm(self):
        "Confirmed answers are frozen with their PDF's hash and emailed"
        import hashlib
        Collection = Pool().get('quote.collection')
        collection = self.start()
        with self.assertRaises(QuoteIncompleteError):
            Collection.confirm([collection])
        self.assertEqual(self.answer_home(collection), {})
        Collection.confirm([collection])
        self.assertFalse(collection.needs_refused)
        self.assertEqual(collection.pdf_hash,
            hashlib.sha256(collection.pdf).hexdigest())
        text = ''.join(p.extract_text()
            for p in PdfReader(io.BytesIO(collection.pdf)).pages)
        self.assertIn('Via Roma 1', text)
        self.assertIn('250.000,00', text)
        with self.assertRaises(QuoteConfirmedError):
            collection.save_answers({'metri_quadri': 100})
        messages = outbox('client_card/email/quote_confirmed.html')
        self.assertEqual(len(messages), 2)
        for message in messages:
            names = [p.get_filename() for p in message.iter_attachments()]
            self.assertEqual(names, [collection.pdf_filename()])

    @with_transaction()
    def test_persian_pdf(self):
        "The answers PDF is in the client's language"
        collection = self.start()
        collection.language = 'fa'
        collection.save()
        self.answer_home(collection)
        collection.__class__.confirm([collection])
        text = ''.join(p.extract_text()
            for p in PdfReader(io.BytesIO(collection.pdf)).pages)
        self.assertTrue(any('\u0600' <= c <= '\u06ff' for c in text))

    @with_transaction()
    def test_other_client_cannot_read(self):
        "A web user reads only the collections of its own parties"
        pool = Pool()
        Collection = pool.get('quote.collection')
        User = pool.get('res.user')
        collection = self.start()
        other = self.start(client('Anna Bianchi', 'anna@example.it'))
        portal, = User.search([('login', '=', 'portal')])
        with Transaction().set_user(portal.id), Transaction().set_context(
                web_user_parties=[other.party.id],
                _check_access=True):
            self.assertEqual(Collection.search([]), [Collection(other.id)])
            with self.assertRaises(AccessError):
                Collection.read([collection.id], ['answers', 'pdf'])


del PlatformTestCase
