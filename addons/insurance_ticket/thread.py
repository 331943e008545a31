# This file is part of the insurance intermediary platform.
"""The thread of a ticket: messages, events and their attachments."""
import datetime as dt
import hashlib
import logging

from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.portal import filestore, queue, upload
from trytond.modules.portal.append_only import AppendOnlyMixin
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from .exceptions import AppendOnly
from .ticket import STATES

logger = logging.getLogger(__name__)

CATEGORIES = [
    ('file', "File"),
    ('old_policy', "Old Policy"),
    ('questionnaire', "Questionnaire"),
    ('quote', "Quote"),
    ('contract', "Draft Contract"),
    ('policy', "Policy"),
    ('signed', "Signed Policy"),
    ]


class Message(AppendOnlyMixin, ModelSQL, ModelView):
    "Ticket Message"
    __name__ = 'insurance.ticket.message'
    _append_only_error = (
        AppendOnly, 'insurance_ticket.msg_thread_append_only')

    ticket = fields.Many2One(
        'insurance.ticket', "Ticket", required=True, ondelete='CASCADE')
    author_name = fields.Char("Author", readonly=True)
    author_user = fields.Many2One(
        'res.user', "Staff Author", readonly=True, ondelete='RESTRICT')
    author_web_user = fields.Many2One(
        'web.user', "Portal Author", readonly=True, ondelete='RESTRICT')
    body = fields.Text("Message", size=20000)
    internal = fields.Boolean(
        "Internal Note", help="Only the staff see internal notes.")
    email_authentication = fields.Char(
        "Email Authentication", readonly=True,
        help="The receiving mail server's Authentication-Results (SPF, "
        "DKIM, DMARC) of a reply posted by email.")
    event = fields.Selection(
        [(None, "")] + STATES, "Event", readonly=True,
        help="The state the ticket entered with this message.")
    attachments = fields.One2Many(
        'insurance.ticket.attachment', 'message', "Attachments",
        readonly=True)
    posted_at = fields.Function(
        fields.DateTime("Posted At", format='%H:%M'), 'get_posted_at')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.ticket, Index.Range()), (t.id, Index.Range())))
        cls._order = [('ticket', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_internal():
        return False

    def get_posted_at(self, name):
        return self.create_date.replace(second=0, microsecond=0)

    @classmethod
    def default_author_user(cls):
        return Transaction().user

    @classmethod
    def default_author_name(cls):
        User = Pool().get('res.user')
        return User(Transaction().user).name

    @classmethod
    def back_office_author(cls):
        return {
            'author_user': cls.default_author_user(),
            'author_name': cls.default_author_name(),
            }

    @classmethod
    def web_author(cls, web_user):
        return {
            'author_web_user': web_user,
            'author_name': (
                web_user.party.rec_name if web_user.party else web_user.email),
            }

    @property
    def author_is_client(self):
        return bool(self.author_web_user
            and 'client' in self.ticket.portal_roles(self.author_web_user))

    @classmethod
    def on_modification(cls, mode, messages, field_names=None):
        super().on_modification(mode, messages, field_names=field_names)
        if mode == 'create':
            cls._touch_tickets(messages)
            cls.send_notifications(messages)

    @classmethod
    def _touch_tickets(cls, messages):
        "Record the last activity and the first response of the staff."
        Ticket = Pool().get('insurance.ticket')
        now = dt.datetime.now()
        for message in messages:
            ticket = message.ticket
            values = {'last_activity_at': now}
            if (not ticket.first_response_at and not message.internal
                    and not message.author_is_client):
                values['first_response_at'] = now
            with without_check_access():
                # posting is allowed on tickets the author may not edit
                Ticket.write([ticket], values)


class Attachment(AppendOnlyMixin, ModelSQL, ModelView):
    "Ticket Attachment"
    __name__ = 'insurance.ticket.attachment'
    _append_only_error = (
        AppendOnly, 'insurance_ticket.msg_thread_append_only')

    ticket = fields.Many2One(
        'insurance.ticket', "Ticket", required=True, ondelete='CASCADE')
    message = fields.Many2One(
        'insurance.ticket.message', "Message", required=True,
        ondelete='CASCADE')
    internal = fields.Function(fields.Boolean("Internal"), 'get_internal')
    name = fields.Char("Name", required=True, readonly=True)
    category = fields.Selection(CATEGORIES, "Category", required=True,
        readonly=True)
    data = fields.Binary(
        "Data", filename='name', file_id='file_id', readonly=True)
    file_id = fields.Char("File ID", readonly=True)
    mime_type = fields.Char("MIME Type", readonly=True)
    size = fields.Integer("Size", readonly=True)
    sha256 = fields.Char("SHA-256", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.ticket, Index.Range())),
                Index(t, (t.message, Index.Range())),
                })

    @staticmethod
    def default_category():
        return 'file'

    def get_internal(self, name):
        return bool(self.message and self.message.internal)

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create' and values.get('data') is not None:
            data = values['data']
            values['size'] = len(data)
            values['sha256'] = hashlib.sha256(data).hexdigest()
        return values

    @classmethod
    def on_modification(cls, mode, attachments, field_names=None):
        super().on_modification(mode, attachments, field_names=field_names)
        if mode == 'create':
            streamed = filestore.streamed_to_copy()
            stored = [a for a in attachments if a.file_id in streamed]
            if stored:
                cls.__queue__.replicate(stored)

    @classmethod
    def max_size(cls):
        return upload.max_size()

    @staticmethod
    def store_prefix():
        return Transaction().database.name

    @classmethod
    def upload(cls, name, data, category='file'):
        """Return the values of an uploaded file after checking its content
        (``portal.upload``): the type comes from the bytes, never from the
        name. ``data`` is bytes or a seekable binary file at its start (the
        request's spooled file): a file is checked where it lies and
        streamed to the primary store as it is hashed."""
        if isinstance(data, (bytes, bytearray)):
            mime_type, safe_name = upload.check(name, data)
            values = {'data': data}
        else:
            mime_type, safe_name = upload.check_file(name, data)
            values = cls.stream_values(data)
        return dict(values,
            name=safe_name, mime_type=mime_type, category=category)

    @classmethod
    def stream_values(cls, file):
        "Store the file in the primary store; return its id, hash and size."
        file_id, sha256, size = filestore.set_stream(file, cls.store_prefix())
        return {'file_id': file_id, 'sha256': sha256, 'size': size}

    @classmethod
    def replicate(cls, attachments, attempt=0):
        """Copy the files to the replica hash for hash (queued after the
        commit); those the replica refuses are tried again later."""
        failed = [a for a in attachments if not a._replicated()]
        if failed and attempt + 1 >= queue.ATTEMPTS:
            logger.error("attachments %s not replicated after %s attempts: "
                "run the replica restore", [a.id for a in failed],
                attempt + 1)
        elif failed:
            with Transaction().set_context(queue_scheduled_at=queue.retry_delay(
                        attempt + 1, 'replica', 'retry_seconds')):
                cls.__queue__.replicate(failed, attempt + 1)

    def _replicated(self):
        "Copy the file to the replica; tell whether to stop trying."
        try:
            filestore.replicate(self.file_id, self.store_prefix(), self.sha256)
        except filestore.SourceLost as lost:
            logger.error("attachment %s not replicated: %s", self.id, lost)
        except OSError as error:
            logger.warning("attachment %s not replicated yet: %s",
                self.id, error)
            return False
        return True

    @classmethod
    def content(cls, values):
        "Return the bytes of an upload's values."
        if values.get('data') is not None:
            return values['data']
        return filestore.configured_store().get(
            values['file_id'], cls.store_prefix())
