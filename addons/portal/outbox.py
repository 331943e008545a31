# This file is part of the insurance intermediary platform.
"""The outbox: every email of the platform, kept and sent by the queue.

An email is stored when the transaction that wrote it commits and sent
after it by a queue task; when the SMTP server refuses it or cannot be
reached, the task is scheduled again with a growing delay, so no email is
lost while the server is down. Emails carrying a secret (a confirmation or
reset link, a one-time code) keep their content only until sent, and no
group reads any email's content through the back office. Emails written
with the ``mail_history`` context (history loaded into a database, as the
demo's) are kept as history and never sent.
"""
import datetime as dt
import email
import email.policy
import logging

from trytond import config
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.sendmail import send_message
from trytond.transaction import Transaction

from . import queue

logger = logging.getLogger(__name__)

STATES = [
    ('queued', "Queued"),
    ('sent', "Sent"),
    ('failed', "Failed"),
    ('history', "Not Sent (History)"),
    ]

def retry_delay(attempts):
    "Return how long to wait after the number of failed attempts."
    return queue.retry_delay(attempts, 'portal', 'email_retry_seconds')


class Email(ModelSQL, ModelView):
    "Outgoing Email"
    __name__ = 'portal.email'

    to = fields.Char("To", required=True, readonly=True)
    cc = fields.Char("Cc", readonly=True)
    subject = fields.Char("Subject", readonly=True)
    template = fields.Char("Template", readonly=True)
    language = fields.Char("Language", readonly=True)
    resource = fields.Reference(
        "Resource", selection='get_resources', readonly=True)
    message = fields.Binary(
        "Message", file_id='message_id', readonly=True,
        help="The whole message as sent (RFC 5322); no group reads it.")
    message_id = fields.Char("Message File", readonly=True)
    transient = fields.Boolean(
        "Transient", readonly=True,
        help="The content carries a secret: it is dropped once sent.")
    state = fields.Selection(STATES, "State", required=True, readonly=True)
    attempts = fields.Integer("Attempts", required=True, readonly=True)
    next_attempt_at = fields.Timestamp("Next Attempt", readonly=True)
    sent_at = fields.Timestamp("Sent At", readonly=True)
    error = fields.Text("Last Error", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.resource, Index.Equality())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state == 'queued'),
                })
        cls._order = [('id', 'DESC')]

    @classmethod
    def default_state(cls):
        return 'queued'

    @classmethod
    def default_attempts(cls):
        return 0

    @classmethod
    def default_transient(cls):
        return False

    @classmethod
    def get_resources(cls):
        Model = Pool().get('ir.model')
        return [(None, '')] + Model.get_name_items()

    @classmethod
    def queue(cls, message, template=None, language=None, resource=None,
            transient=False):
        "Keep the message and send it after the commit; return the email."
        # history loaded into a database (the demo's) is recorded unsent
        history = Transaction().context.get('mail_history')
        outgoing = cls(
            to=message['To'], cc=message['Cc'],
            subject=str(message['Subject'] or ''), template=template,
            language=language, resource=resource, transient=transient,
            message=message.as_bytes(policy=email.policy.SMTP),
            state='history' if history else 'queued')
        outgoing.save()
        if not history:
            cls.__queue__.deliver([outgoing])
        return outgoing

    def parsed(self):
        "Return the stored message, or None once dropped."
        if not self.message:
            return None
        return email.message_from_bytes(
            bytes(self.message), policy=email.policy.SMTP)

    @classmethod
    def deliver(cls, emails):
        "Send the queued emails; schedule again those the server refused."
        now = dt.datetime.now()
        cls.lock(emails)
        for outgoing in cls.browse(emails):
            if outgoing.state != 'queued':
                continue
            try:
                send_message(outgoing.parsed(), strict=True)
            except Exception as exception:
                outgoing._failed(exception, now)
            else:
                outgoing.state = 'sent'
                outgoing.sent_at = now
                outgoing.error = None
                outgoing.next_attempt_at = None
                if outgoing.transient:
                    outgoing.message = None
            outgoing.attempts += 1
            outgoing.save()

    def _failed(self, exception, now):
        "Record the failure and schedule the next attempt, if any is left."
        self.error = f'{type(exception).__name__}: {exception}'[:1000]
        attempts = self.attempts + 1
        if attempts >= config.getint(
                'portal', 'email_attempts', default=queue.ATTEMPTS):
            self.state = 'failed'
            self.next_attempt_at = None
            logger.error("email %s to %s given up after %s attempts: %s",
                self.id, self.to, attempts, self.error)
            return
        delay = retry_delay(attempts)
        self.next_attempt_at = now + delay
        logger.warning("email %s to %s failed (%s), next attempt in %s",
            self.id, self.to, self.error, delay)
        with Transaction().set_context(queue_scheduled_at=delay):
            self.__class__.__queue__.deliver([self])
