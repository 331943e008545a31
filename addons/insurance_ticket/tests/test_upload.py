# This file is part of the insurance intermediary platform.
"""Uploads stream to the primary store with the hash of their bytes; the
replica copy is made after the commit by the queue, and tried again when
the replica folder fails."""
import hashlib
import io
import os
import shutil
import tempfile
from unittest import mock

from trytond.i18n import gettext
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.portal import filestore
from trytond.modules.portal.filestore import HASH_SUFFIX, ReplicaFileStore
from trytond.modules.portal.tests.tools import PlatformTestCase, pdf_bytes
from trytond.modules.portal.upload import UploadRefused
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

HTML = b'<html><body><script>alert(document.cookie)</script></body></html>'


class FolderReplicaStore(ReplicaFileStore):
    "The replicated store on Tryton's folder and the test's replica folder."

    def __init__(self, replica):
        self._replica = replica

    @property
    def replica_path(self):
        return self._replica


class UploadTestCase(PlatformTestCase):
    "Test the streamed uploads of the tickets"
    module = 'insurance_ticket'

    def setUp(self):
        super().setUp()
        folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, folder, True)
        self.replica = os.path.join(folder, 'replica')
        self.store = FolderReplicaStore(self.replica)
        patcher = mock.patch('trytond.filestore.filestore', self.store)
        patcher.start()
        self.addCleanup(patcher.stop)
        # several chunks even for a small document
        patcher = mock.patch.object(filestore, 'CHUNK', 1000)
        patcher.start()
        self.addCleanup(patcher.stop)

    def open_ticket(self, files):
        "Open a quote request of a new client with the uploaded files."
        pool = Pool()
        Party = pool.get('party.party')
        WebUser = pool.get('web.user')
        Ticket = pool.get('insurance.ticket')
        Message = pool.get('insurance.ticket.message')
        Line = pool.get('insurance.ticket.line')
        RequestType = pool.get('insurance.ticket.request_type')
        company = create_company()
        daniela = Party(name="Daniela Spadafora", contact_mechanisms=[
                {'type': 'email', 'value': 'daniela@studio.example'}])
        daniela.save()
        client = WebUser(
            email='daniela@studio.example', email_valid=True, party=daniela)
        client.save()
        line, = Line.search([('code', '=', 'building')])
        quote, = RequestType.search([('code', '=', 'quote')])
        with set_company(company):
            return Ticket.open({
                    'title': "Polizza globale fabbricati",
                    'client': daniela.id, 'line': line.id,
                    'request_type': quote.id,
                    }, "Si richiede offerta", files,
                Message.web_author(client))

    def replica_tasks(self):
        "Return the replica copies waiting in the queue."
        Queue = Pool().get('ir.queue')
        return [t for t in Queue.search([('finished_at', '=', None)])
            if t.data['method'] == 'replicate']

    def replica_of(self, attachment):
        return self.store.replica_filename(
            attachment.file_id, Transaction().database.name)

    @with_transaction()
    def test_stream_hashed(self):
        "The streamed file is stored with the SHA-256 of its bytes"
        Attachment = Pool().get('insurance.ticket.attachment')
        data = pdf_bytes("Compagnia: Reale Mutua", "Polizza n. RM/2024001")
        values = Attachment.upload('polizza.pdf', io.BytesIO(data))
        self.assertNotIn('data', values)
        self.assertEqual(values['sha256'], hashlib.sha256(data).hexdigest())
        self.assertEqual(values['size'], len(data))

        ticket = self.open_ticket([values])
        attachment, = ticket.attachments
        self.assertEqual(
            (attachment.category, attachment.name, attachment.mime_type),
            ('old_policy', 'polizza.pdf', 'application/pdf'))
        self.assertEqual(attachment.sha256, hashlib.sha256(data).hexdigest())
        self.assertEqual(bytes(attachment.data), data)
        with open(self.store._filename(
                    attachment.file_id, Transaction().database.name),
                'rb') as file:
            self.assertEqual(file.read(), data)

    @with_transaction()
    def test_bad_stream_refused(self):
        "A file that is not what its name says is refused, nothing stored"
        Attachment = Pool().get('insurance.ticket.attachment')
        prefix = os.path.join(self.store.path, Transaction().database.name)
        before = set(_files(prefix))
        for name, data, message in [
                ('polizza.pdf', b'MZ\x90\x00' + b'\x00' * 200,
                    'portal.msg_upload_type'),
                ('polizza.pdf', b'%PDF-1.4\n' + HTML,
                    'portal.msg_upload_damaged'),
                ('x.docx', b'PK\x03\x04not a zip', 'portal.msg_upload_type'),
                ]:
            with self.subTest(data=data[:10]):
                with self.assertRaises(UploadRefused) as refused:
                    Attachment.upload(name, io.BytesIO(data))
                self.assertEqual(
                    refused.exception.message, gettext(message, name=name))
        self.assertEqual(set(_files(prefix)), before)

    @with_transaction()
    def test_rollback_removes_file(self):
        "A transaction rolled back removes the files it streamed"
        Attachment = Pool().get('insurance.ticket.attachment')
        values = Attachment.upload('polizza.pdf', io.BytesIO(pdf_bytes("x")))
        filename = self.store._filename(
            values['file_id'], Transaction().database.name)
        self.assertTrue(os.path.exists(filename))
        Transaction().rollback()
        self.assertFalse(os.path.exists(filename))

    @with_transaction()
    def test_replica_by_queue(self):
        "The queued task copies the file to the replica with its hash"
        data = pdf_bytes("Polizza")
        Attachment = Pool().get('insurance.ticket.attachment')
        ticket = self.open_ticket(
            [Attachment.upload('polizza.pdf', io.BytesIO(data))])
        attachment, = ticket.attachments
        replica = self.replica_of(attachment)
        self.assertFalse(os.path.exists(replica))

        task, = self.replica_tasks()
        task.run()
        self.assertEqual(_read(replica), data)
        self.assertEqual(
            _read(replica + HASH_SUFFIX), attachment.sha256.encode())
        self.assertEqual(self.replica_tasks(), [])

    @with_transaction()
    def test_bytes_written_to_both_at_once(self):
        "A file made from bytes (written to both folders at once) queues no copy"
        data = pdf_bytes("Preventivo")
        Attachment = Pool().get('insurance.ticket.attachment')
        ticket = self.open_ticket([Attachment.upload('preventivo.pdf', data)])
        attachment, = ticket.attachments
        self.assertEqual(attachment.data, data)
        self.assertEqual(self.replica_tasks(), [])

    @with_transaction()
    def test_replica_retried(self):
        "A replica folder that fails once gets the copy at the next attempt"
        data = pdf_bytes("Polizza")
        Attachment = Pool().get('insurance.ticket.attachment')
        ticket = self.open_ticket(
            [Attachment.upload('polizza.pdf', io.BytesIO(data))])
        attachment, = ticket.attachments
        replica = self.replica_of(attachment)
        # the replica's place is taken by a file: no folder can be made
        with open(self.replica, 'w') as blocker:
            blocker.write('unmounted')
        task, = self.replica_tasks()
        with self.assertLogs('trytond.modules.insurance_ticket.thread',
                'WARNING'):
            task.run()
        self.assertFalse(os.path.exists(replica))
        retry, = self.replica_tasks()
        self.assertEqual(list(retry.data['args']), [1])
        self.assertIsNotNone(retry.scheduled_at)

        os.remove(self.replica)
        retry.run()
        self.assertEqual(_read(replica), data)
        self.assertEqual(
            _read(replica + HASH_SUFFIX), attachment.sha256.encode())
        self.assertEqual(self.replica_tasks(), [])

    @with_transaction()
    def test_corrupt_primary_not_replicated(self):
        "A primary file changed after its upload is not copied, not retried"
        Attachment = Pool().get('insurance.ticket.attachment')
        ticket = self.open_ticket(
            [Attachment.upload('polizza.pdf', io.BytesIO(pdf_bytes("x")))])
        attachment, = ticket.attachments
        with open(self.store._filename(
                    attachment.file_id, Transaction().database.name),
                'r+b') as file:
            file.write(b'%PDF-9')
        task, = self.replica_tasks()
        with self.assertLogs('trytond.modules.insurance_ticket.thread',
                'ERROR'):
            task.run()
        self.assertFalse(os.path.exists(self.replica_of(attachment)))
        self.assertEqual(self.replica_tasks(), [])


def _files(folder):
    for root, _, names in os.walk(folder):
        for name in names:
            yield os.path.join(root, name)


def _read(filename):
    with open(filename, 'rb') as file:
        return file.read()


del PlatformTestCase
