# This file is part of the insurance intermediary platform.
import contextlib
import datetime as dt
import hashlib
import io
import os
import re
import tempfile

from pypdf import PdfReader

from trytond import backend
from trytond.filestore import filestore
from trytond.model.exceptions import AccessError
from trytond.modules.consent_registry.exceptions import (
    RecordAnswerError, RecordImmutableError, VersionPublishedError,
    VersionPublishError)
from trytond.modules.consent_registry.record import store_prefix
from trytond.pool import Pool
from trytond.modules.consent_registry import verify
from trytond.modules.portal import formats, seal
from trytond.modules.portal.tests.tools import (
    PlatformModuleTestCase, flip_byte, load_translations, outbox, pdfsig,
    pyhanko_validate, text_of)
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction, check_access

VALIDATION = re.compile(r'^\d\d/\d\d/\d\d/\d\d/\d\d/\d\d( \S+@\S+)+$')


def create_party(name='Mario Rossi', email='mario.rossi@example.it'):
    Party = Pool().get('party.party')
    party = Party(name=name, contact_mechanisms=[
            {'type': 'email', 'value': email}])
    party.save()
    return party


def retire_installed_forms():
    "Leave the forms installed with the module out of the test's registry."
    pool = Pool()
    Form = pool.get('consent.form')
    ModelData = pool.get('ir.model.data')
    Form.write(Form.browse([d.db_id for d in ModelData.search([
                        ('module', '=', 'consent_registry'),
                        ('model', '=', 'consent.form')])]), {'active': False})


def create_form(code='privacy', mandatory=True, text="Informativa.",
        moment='signup'):
    "Create a form of the test and its draft version, alone in force."
    pool = Pool()
    Form = pool.get('consent.form')
    Version = pool.get('consent.form.version')
    retire_installed_forms()
    form = Form(
        code=code, name=code.title(), mandatory=mandatory, moment=moment)
    form.save()
    version = Version(form=form, text=text)
    version.save()
    return form, version


def publish(form, text):
    Version = Pool().get('consent.form.version')
    version = Version(form=form, text=text)
    version.save()
    Version.publish([version])
    return version


class ConsentRegistryTestCase(PlatformModuleTestCase):
    "Test the consent_registry module"
    module = 'consent_registry'

    @with_transaction()
    def test_publish_without_text(self):
        "A version without text cannot be published"
        Version = Pool().get('consent.form.version')
        _, version = create_form(text='')
        with self.assertRaises(VersionPublishError):
            Version.publish([version])
        self.assertEqual(version.state, 'draft')

    @with_transaction()
    def test_published_version_frozen(self):
        "A published version can be neither edited nor deleted"
        Version = Pool().get('consent.form.version')
        _, version = create_form()
        # only the Publish button publishes: it freezes the text
        with self.assertRaises(VersionPublishError):
            Version.write([version], {'state': 'published'})
        self.assertEqual(version.state, 'draft')
        Version.publish([version])
        self.assertEqual(version.state, 'published')
        self.assertEqual(len(version.text_hash), 64)
        with self.assertRaises(VersionPublishedError):
            Version.write([version], {'text': "Changed"})
        with self.assertRaises(VersionPublishedError):
            Version.write([version], {'state': 'draft'})
        with self.assertRaises(VersionPublishedError):
            Version.delete([version])
        self.assertEqual(Version(version.id).text, "Informativa.")

    @with_transaction()
    def test_publish_retires_previous(self):
        "Publishing a version retires the one it replaces"
        Version = Pool().get('consent.form.version')
        form, first = create_form()
        Version.publish([first])
        second = publish(form, "Informativa aggiornata.")
        self.assertEqual((first.state, second.number), ('retired', 2))
        self.assertEqual(form.current_version, second)

    @with_transaction()
    def test_company_receipt_to_who_answers(self):
        "A company without an email gets its receipt at its answering login"
        pool = Pool()
        Party = pool.get('party.party')
        Record = pool.get('consent.record')
        Version = pool.get('consent.form.version')
        WebUser = pool.get('web.user')
        person = create_party('Daniela', 'daniela@studio.example')
        studio = Party(name="Studio S.r.l.")
        studio.save()
        user = WebUser(email='daniela@studio.example', party=person,
            secondary_parties=[studio])
        user.save()
        _, version = create_form()
        Version.publish([version])
        record = Record.record_answer(studio, version, 'given',
            channel='portal', web_user=user.id)
        self.assertIn('daniela@studio.example', record.emailed_to)
        self.assertTrue(record.validation_string.endswith(
                'daniela@studio.example'))
        with self.assertRaises(RecordAnswerError):
            Record.record_answer(studio, version, 'given')

    @with_transaction()
    def test_record_sealed(self):
        "A record carries its validation string, PDF, hashes and chain"
        Record = Pool().get('consent.record')
        Version = Pool().get('consent.form.version')
        party = create_party()
        form, version = create_form()
        Version.publish([version])
        first = Record.record_answer(party, version, 'given')
        second = Record.record_answer(
            party, version, 'withdrawn', ip_address='192.0.2.1')

        self.assertRegex(first.validation_string, VALIDATION)
        self.assertIn('mario.rossi@example.it', first.validation_string)
        self.assertIn('mario.rossi@example.it', first.emailed_to)
        self.assertTrue(first.pdf.startswith(b'%PDF'))
        self.assertEqual(
            hashlib.sha256(first.pdf).hexdigest(), first.pdf_hash)
        self.assertIsNone(first.previous_hash)
        evidence = {n: getattr(second, n) for n in [
                'answer', 'time', 'channel', 'ip_address', 'user_agent',
                'emailed_to', 'validation_string', 'text_hash',
                'previous_hash']}
        # the platform's seal is an incremental update of the rendered PDF
        self.assertTrue(second.pdf.startswith(
                Record.render_pdf(party, version, evidence)))
        self.assertTrue(seal.verify(second.pdf).ok)
        self.assertTrue(seal.verify(second.pdf).timestamped)
        evidence['previous_hash'] = first.previous_hash
        self.assertFalse(second.pdf.startswith(
                Record.render_pdf(party, version, evidence)))
        self.assertEqual(second.previous_hash, first.chain_hash)
        self.assertNotEqual(second.chain_hash, first.chain_hash)
        self.assertEqual(
            (first.channel, first.form, first.text_hash),
            ('staff', form, version.text_hash))

    @with_transaction()
    def test_record_on_draft_refused(self):
        "Consents are recorded only on published versions, with fit answers"
        Record = Pool().get('consent.record')
        Version = Pool().get('consent.form.version')
        party = create_party()
        _, version = create_form()
        with self.assertRaises(RecordAnswerError):
            Record.record_answer(party, version, 'given')
        Version.publish([version])
        with self.assertRaises(RecordAnswerError):
            Record.record_answer(party, version, 'acknowledged')

    @with_transaction()
    def test_record_append_only(self):
        "Writing or deleting a record is refused, even to the administrator"
        Record = Pool().get('consent.record')
        Version = Pool().get('consent.form.version')
        party = create_party()
        _, version = create_form()
        Version.publish([version])
        record = Record.record_answer(party, version, 'given')
        with self.assertRaises(RecordImmutableError):
            Record.write([record], {'answer': 'refused'})
        with self.assertRaises(RecordImmutableError):
            Record.delete([record])
        self.assertEqual(Record(record.id).answer, 'given')

    @with_transaction()
    def test_portal_sees_own_consents(self):
        "A portal user reads and records only its parties' consents"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Record = pool.get('consent.record')
        Version = pool.get('consent.form.version')
        own, other = (create_party(n, f'{n}@example.it')
            for n in ['own', 'other'])
        _, version = create_form()
        Version.publish([version])
        mine = Record.record_answer(own, version, 'given')
        Record.record_answer(other, version, 'given')
        portal = ModelData.get_id('portal', 'user_portal')
        with Transaction().set_user(portal), Transaction().set_context(
                web_user_parties=[own.id]), check_access():
            self.assertEqual(Record.search([]), [mine])
            with self.assertRaises(AccessError):
                Record.record_answer(other, version, 'refused')
            withdrawn = Record.record_answer(own, version, 'withdrawn',
                time=dt.datetime(2020, 1, 1))
        self.assertGreater(withdrawn.time, dt.datetime(2020, 1, 1))

    @with_transaction()
    def test_database_guard(self):
        "On PostgreSQL the database itself refuses UPDATE and DELETE"
        if backend.name != 'postgresql':
            self.skipTest("the database guard is PostgreSQL's")
        Record = Pool().get('consent.record')
        Version = Pool().get('consent.form.version')
        party = create_party()
        _, version = create_form()
        Version.publish([version])
        record = Record.record_answer(party, version, 'given')
        cursor = Transaction().connection.cursor()
        table = Record.__table__()
        for statement in [
                table.update([table.answer], ['refused'],
                    where=table.id == record.id),
                table.delete(where=table.id == record.id)]:
            cursor.execute('SAVEPOINT guard')
            with self.assertRaises(Exception) as context:
                cursor.execute(*statement)
            self.assertIn('append-only', str(context.exception))
            cursor.execute('ROLLBACK TO SAVEPOINT guard')
        self.assertEqual(Record(record.id).answer, 'given')

    @with_transaction()
    def test_reconsent_only_changed_forms(self):
        "A new version marks exactly the parties that answered an older one"
        pool = Pool()
        Record = pool.get('consent.record')
        Version = pool.get('consent.form.version')
        old, new, silent = (create_party(n, f'{n}@example.it')
            for n in ['old', 'new', 'silent'])
        privacy, v1 = create_form('privacy')
        marketing, m1 = create_form('marketing', mandatory=False)
        Version.publish([v1, m1])
        Record.record_answer(old, v1, 'given')
        Record.record_answer(old, m1, 'given')
        v2 = Version(form=privacy, text="Nuova informativa.")
        v2.save()
        self.assertEqual(v2.parties_to_reconsent(), [old])
        Version.publish([v2])
        Record.record_answer(new, v2, 'given')

        def pending(party):
            return [(s['form'].code, s['blocking']) for s in Record.states(
                    [(party, 'person')]) if s['changed']]
        self.assertEqual(pending(old), [('privacy', True)])
        self.assertEqual(pending(new), [])
        self.assertEqual(pending(silent), [])
        Record.record_answer(old, v2, 'given')
        self.assertEqual(pending(old), [])

    @with_transaction()
    def test_forms_due_by_moment(self):
        "A step needs the forms of its moment and before, never answered"
        pool = Pool()
        Record = pool.get('consent.record')
        Version = pool.get('consent.form.version')
        party = create_party()
        forms = [create_form(code, mandatory=code != 'offers', moment=moment)
            for code, moment in [('privacy', 'signup'), ('offers', 'signup'),
                ('annex', 'quote'), ('mandate', 'contract')]]
        Version.publish([v for _, v in forms])

        def due(moment):
            return {s['form'].code: s['blocking'] for s in Record.states(
                    [(party, 'person')], moment) if s['missing']}
        self.assertEqual(due(None), {})
        self.assertEqual(due('signup'), {'privacy': True, 'offers': False})
        self.assertEqual(due('quote'),
            {'privacy': True, 'offers': False, 'annex': True})
        self.assertEqual(set(due('contract')),
            {'privacy', 'offers', 'annex', 'mandate'})
        Record.record_answer(party, forms[2][1], 'given')
        Record.record_answer(party, forms[0][1], 'given')
        self.assertEqual(due('quote'), {'offers': False})

    @with_transaction()
    def test_withdrawal(self):
        "An optional consent can be withdrawn and given again"
        pool = Pool()
        Record = pool.get('consent.record')
        Version = pool.get('consent.form.version')
        party = create_party()
        _, version = create_form('marketing', mandatory=False)
        Version.publish([version])
        Record.record_answer(party, version, 'given')
        Record.record_answer(party, version, 'withdrawn')
        state, = Record.states([(party, 'person')])
        self.assertEqual(
            (state['record'].answer, state['blocking']), ('withdrawn', False))
        self.assertEqual(Record.search_count([('party', '=', party.id)]), 2)

    @with_transaction()
    def test_verification_detects_tampering(self):
        "The check reports a flipped PDF byte and a changed field"
        pool = Pool()
        Record = pool.get('consent.record')
        Version = pool.get('consent.form.version')
        Verification = pool.get('consent.verification')
        # the installed forms' texts, as trytond-admin -l it fa loads them
        load_translations('consent_registry')
        party = create_party()
        _, version = create_form()
        Version.publish([version])
        records = [Record.record_answer(party, version, 'given')
            for _ in range(3)]
        self.assertEqual(Verification.check().breaks, 0)

        path = filestore._filename(records[0].pdf_id, store_prefix())
        with open(path, 'r+b') as file:
            file.seek(200)
            byte = file.read(1)
            file.seek(200)
            file.write(bytes([byte[0] ^ 0x01]))
        cursor = Transaction().connection.cursor()
        if backend.name == 'postgresql':
            cursor.execute('SET LOCAL session_replication_role = replica')
        table = Record.__table__()
        cursor.execute(*table.update([table.ip_address], ['203.0.113.9'],
                where=table.id == records[1].id))
        verification = Verification.check()
        self.assertEqual(verification.breaks, 2)
        self.assertIn(f'record {records[0].id}: the stored PDF',
            verification.report)
        self.assertIn(f'record {records[1].id}: its content',
            verification.report)

    @with_transaction()
    def test_emailed_pdf_sealed(self):
        "The emailed consent PDF and the dossier are sealed, for any reader"
        pool = Pool()
        Record = pool.get('consent.record')
        Version = pool.get('consent.form.version')
        Dossier = pool.get('consent.dossier', type='report')
        party = create_party()
        _, version = create_form()
        Version.publish([version])
        record = Record.record_answer(party, version, 'given')
        receipt, = outbox('consent_registry/email/receipt.html')
        attachment, = [part.get_content()
            for part in receipt.iter_attachments()
            if part.get_content_type() == 'application/pdf']
        self.assertEqual(attachment, record.pdf)
        valid, report = pdfsig(attachment)
        self.assertTrue(valid, report)
        valid, report = pyhanko_validate(attachment)
        self.assertTrue(valid, report)
        _, dossier, _, _ = Dossier.execute([], {'party': party.id})
        self.assertTrue(pdfsig(dossier)[0])
        self.assertTrue(seal.verify(dossier).ok)

        # the command checks a file received from anywhere
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, 'consent.pdf')
            for data, status in [(attachment, 0), (dossier, 0),
                    (flip_byte(attachment), 1), (flip_byte(dossier), 1)]:
                with open(path, 'wb') as file:
                    file.write(data)
                with contextlib.redirect_stdout(io.StringIO()):
                    self.assertEqual(verify.main(['--pdf', path]), status)
        self.assertFalse(pdfsig(flip_byte(attachment))[0])
        self.assertFalse(pyhanko_validate(flip_byte(attachment))[0])

    @with_transaction()
    def test_dossier(self):
        "The dossier prints the trail, whole or since a date, and its check"
        pool = Pool()
        Record = pool.get('consent.record')
        Version = pool.get('consent.form.version')
        Dossier = pool.get('consent.dossier', type='report')
        party = create_party()
        _, version = create_form()
        Version.publish([version])
        year_ago = dt.datetime.utcnow() - dt.timedelta(days=365)
        old, = Record.create([{'party': party.id, 'version': version.id,
                    'answer': 'given', 'time': year_ago}])
        new = Record.record_answer(party, version, 'withdrawn')

        def pages(**data):
            ext, content, _, _ = Dossier.execute([], dict(data, party=party.id))
            self.assertEqual(ext, 'pdf')
            return [' '.join(page.extract_text().split())
                for page in PdfReader(io.BytesIO(content)).pages]

        given = (f'{formats.format_datetime(old.time, "en")} · Privacy, '
            'version 1 · Given')
        withdrawn = (f'{formats.format_datetime(new.time, "en")} · Privacy, '
            'version 1 · Withdrawn')
        whole = pages()
        self.assertIn(given, ' '.join(whole))
        self.assertIn(withdrawn, ' '.join(whole))
        self.assertIn(new.validation_string, ' '.join(whole))
        self.assertIn("Chain check: no break found. Records verified: 2; "
            "parties: 1.", whole[-1])
        # no page left near blank: the first consent follows the card
        self.assertIn(given, whole[0])
        # each page under the letterhead, numbered
        for number, page in enumerate(whole, 1):
            self.assertIn("Consent registry · printed on", page)
            self.assertIn(f"Page {number}", page)
        recent = ' '.join(pages(since=dt.date.today().isoformat()))
        self.assertNotIn(given, recent)
        self.assertIn(withdrawn, recent)

        cursor = Transaction().connection.cursor()
        if backend.name == 'postgresql':
            cursor.execute('SET LOCAL session_replication_role = replica')
        table = Record.__table__()
        cursor.execute(*table.update([table.ip_address], ['203.0.113.9'],
                where=table.id == new.id))
        self.assertIn("breaks found: 1. Records verified: 2;", pages()[-1])

    @with_transaction()
    def test_unsent_emails_queued_again(self):
        "A record with no email (one made before the outbox) is sent again"
        pool = Pool()
        Record = pool.get('consent.record')
        Version = pool.get('consent.form.version')
        Link = pool.get('consent.record.email')
        Email = pool.get('portal.email')
        party = create_party()
        _, version = create_form()
        Version.publish([version])
        hour_ago = dt.datetime.utcnow() - dt.timedelta(hours=1)
        old, emailed = Record.create([{'party': party.id,
                    'version': version.id, 'answer': answer,
                    'time': hour_ago} for answer in ['given', 'withdrawn']])
        # one email for the submission, with both documents
        outgoing, = Email.search([])
        self.assertEqual(
            {l.record for l in Link.search([])}, {old, emailed})
        self.assertEqual(len([p for p in outgoing.parsed().iter_attachments()
                    if p.get_content_type() == 'application/pdf']), 2)
        table = Link.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.delete(where=table.record == old.id))
        self.assertFalse(Record(old.id).email_sent)
        self.assertTrue(Record(emailed.id).email_sent)

        Record.resend_emails()
        again = Email.search([('id', '!=', outgoing.id)])
        self.assertEqual(len(again), 1)
        self.assertTrue(Record(old.id).email_sent)
        self.assertIn(old.pdf_name, again[0].parsed().as_string())

    @with_transaction()
    def test_signup_consent(self):
        "A sign-up records its privacy consent; earlier ones are migrated"
        pool = Pool()
        Record = pool.get('consent.record')
        Signup = pool.get('portal.signup')
        Version = pool.get('consent.form.version')
        WebUser = pool.get('web.user')
        retire_installed_forms()
        party = create_party()
        user = WebUser(email='mario.rossi@example.it', party=party)
        user.save()
        values = {
            'web_user': user.id, 'party': party.id, 'email': user.email,
            'ip_address': '198.51.100.7', 'user_agent': 'Firefox',
            'language': 'it',
            'privacy_consent_date': dt.datetime(2026, 3, 1, 9, 30, 15),
            }
        earlier, = Signup.create([values])
        self.assertIsNone(earlier.consent)

        form, version = create_form('privacy_signup')
        form.moment = 'signup'
        form.save()
        Version.publish([version])
        migrated, = Signup.migrate_consents()
        self.assertEqual(Signup.migrate_consents(), [])
        self.assertEqual(Signup(earlier.id).consent, migrated)
        self.assertEqual(
            (migrated.time, migrated.channel, migrated.ip_address),
            (values['privacy_consent_date'], 'portal', '198.51.100.7'))

        signup, = Signup.create([values])
        record = Signup(signup.id).consent
        self.assertEqual((record.version, record.answer, record.web_user),
            (version, 'given', user))
        self.assertEqual(record.previous_hash, migrated.chain_hash)
        self.assertEqual(Record.search_count([('party', '=', party.id)]), 2)

    @with_transaction()
    def test_reference_forms_published(self):
        "The forms installed with the module are published in three languages"
        pool = Pool()
        Version = pool.get('consent.form.version')
        ModelData = pool.get('ir.model.data')
        load_translations('consent_registry')
        installed = ModelData.search([
                ('module', '=', 'consent_registry'),
                ('model', '=', 'consent.form.version')])
        self.assertEqual(len(installed), 8)
        for data in installed:
            version = Version(data.db_id)
            with self.subTest(version=data.fs_id):
                self.assertEqual(version.state, 'published')
                texts = version.texts()
                self.assertEqual(len(set(texts.values())), 3, texts)
                # the text as installed is the one its hash was taken of
                self.assertEqual(
                    version.compute_text_hash(), version.text_hash)
    @with_transaction()
    def test_receipt_escapes_names(self):
        "A name typed as markup reaches the receipt email as text"
        Version = Pool().get('consent.form.version')
        party = create_party(
            name='"><img src=x onerror=alert(1)><script>x()</script>')
        _, version = create_form()
        Version.publish([version])
        Pool().get('consent.record').record_answer(party, version, 'given')
        receipt, = outbox('consent_registry/email/receipt.html')
        html = receipt.get_body(preferencelist=('html',)).get_content()
        self.assertNotIn('<img src=x', html)
        self.assertNotIn('<script>', html)
        self.assertIn('&lt;img src=x onerror=alert(1)&gt;', html)
        self.assertIn('<img src=x onerror=alert(1)>', text_of(receipt))

del PlatformModuleTestCase
