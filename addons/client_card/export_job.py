# This file is part of the insurance intermediary platform.
"""Exports from the back office: the wizard asks the format and the
profile, a queued task writes the file batch by batch, recording its
progress as it goes, and keeps the file as an attachment of the export."""
import logging
import os
import tempfile

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateAction, StateTransition, StateView, Wizard

from .export import changed_since, export
from .export_columns import PROFILES
from .export_formats import FORMATS, MIMETYPES

STATES = [
    ('queued', "Queued"),
    ('running', "Running"),
    ('done', "Done"),
    ('failed', "Failed"),
    ]
VCARD_VERSIONS = [('3.0', "vCard 3.0 (Outlook, iOS, macOS)"),
    ('4.0', "vCard 4.0 (RFC 6350)")]
logger = logging.getLogger(__name__)
# the progress is recorded every so many cards
PROGRESS_EVERY = 1000


class ExportOptions:
    __slots__ = ()
    format = fields.Selection(FORMATS, "Format", required=True)
    profile = fields.Selection(PROFILES, "Profile", required=True)
    vcard_version = fields.Selection(VCARD_VERSIONS, "vCard Version",
        states={'invisible': Eval('format') != 'vcf'})
    vcard_split = fields.Boolean("One File per Contact",
        states={'invisible': Eval('format') != 'vcf'},
        help="A zip of one vCard per contact: Outlook reads only the first "
        "contact of a file.")
    since = fields.Date("Changed Since",
        help="Only the cards changed on or after this day.")

    @classmethod
    def default_format(cls):
        return 'csv'

    @classmethod
    def default_profile(cls):
        return 'full'

    @classmethod
    def default_vcard_version(cls):
        return '3.0'


class ExportJob(ExportOptions, ModelSQL, ModelView):
    "Client Card Export"
    __name__ = 'client_card.export.job'

    parties = fields.Many2Many(
        'client_card.export.job-party.party', 'job', 'party', "Cards",
        readonly=True, help="Empty: every card.")
    state = fields.Selection(STATES, "State", readonly=True, required=True)
    total = fields.Integer("Total", readonly=True)
    count = fields.Integer("Written", readonly=True)
    progress = fields.Function(fields.Float("Progress"), 'get_progress')
    attachment = fields.Many2One('ir.attachment', "File", readonly=True,
        ondelete='SET NULL')
    file = fields.Function(fields.Binary("File", filename='file_name'),
        'get_file')
    file_name = fields.Function(fields.Char("File Name"), 'get_file')
    error = fields.Text("Error", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        for name in ['format', 'profile', 'vcard_version', 'vcard_split',
                'since']:
            getattr(cls, name).readonly = True
        cls._order = [('id', 'DESC')]

    @classmethod
    def default_state(cls):
        return 'queued'

    @classmethod
    def default_count(cls):
        return 0

    def get_progress(self, name):
        if self.state == 'done':
            return 1.0
        if not self.total:
            return 0.0
        return min((self.count or 0) / self.total, 1.0)

    def get_file(self, name):
        if not self.attachment:
            return None
        if name == 'file_name':
            return self.attachment.name
        return self.attachment.data

    def get_rec_name(self, name):
        return f'{self.format} · {self.profile} · {self.state}'

    @classmethod
    def queue(cls, jobs):
        "Run the exports in a queued task, after the commit."
        cls.__queue__.run(jobs)

    def domain(self):
        return changed_since(self.since)

    def _note(self, attach=None, **values):
        """Record the values in a transaction of their own where the export
        is committed, so the back office sees the progress while the export
        runs and the export's own transaction writes nothing on it."""
        transaction = Transaction()
        if transaction.database.name != ':memory:':
            with transaction.new_transaction() as progress:
                if self.search([('id', '=', self.id)]):
                    self.__class__(self.id)._write(attach, values)
                    progress.commit()
                    return
        # not committed yet (its creation runs the export): written here
        self._write(attach, values)

    def _write(self, attach, values):
        if attach is not None:
            values['attachment'] = self._attach(attach).id
        self.write([self], values)

    @classmethod
    def run(cls, jobs):
        for job in cls.browse(jobs):
            if job.state in {'queued', 'failed'}:
                try:
                    job._run()
                except Exception as exception:
                    logger.exception("export %s failed", job.id)
                    job._note(state='failed',
                        error=f'{type(exception).__name__}: {exception}')

    def _run(self):
        Party = Pool().get('party.party')
        ids = [p.id for p in self.parties] or None
        total = len(ids) if ids else Party.search(self.domain(), count=True)
        self._note(state='running', total=total, count=0, error=None)

        def progress(count):
            if count % PROGRESS_EVERY == 0 and count < total:
                self._note(count=count)

        descriptor, path = tempfile.mkstemp(prefix='card-export-')
        try:
            with os.fdopen(descriptor, 'wb') as output:
                count = export(self.format, output, self.profile,
                    domain=self.domain(), ids=ids, progress=progress,
                    vcard_version=self.vcard_version,
                    vcard_split=self.vcard_split)
            with open(path, 'rb') as output:
                data = output.read()
        finally:
            os.unlink(path)
        self._note(attach=data, state='done', count=count, total=count)

    def _attach(self, data):
        Attachment = Pool().get('ir.attachment')
        extension = self.extension()
        attachment = Attachment(resource=self,
            name=f'clienti-{self.id}-{self.profile}.{extension}',
            type='data', data=data,
            description=MIMETYPES.get(extension, ''))
        attachment.save()
        return attachment

    def extension(self):
        if self.format == 'vcf' and self.vcard_split:
            return 'zip'
        return self.format


class ExportJobParty(ModelSQL):
    "Client Card Export - Card"
    __name__ = 'client_card.export.job-party.party'
    job = fields.Many2One('client_card.export.job', "Export",
        required=True, ondelete='CASCADE')
    party = fields.Many2One('party.party', "Card", required=True,
        ondelete='CASCADE')


class ExportStart(ExportOptions, ModelView):
    "Export Client Cards"
    __name__ = 'client_card.export.start'

    selected = fields.Integer("Selected Cards", readonly=True,
        help="The cards chosen in the list; none: every card.")


class Export(Wizard):
    "Export Client Cards"
    __name__ = 'client_card.export'

    start = StateView('client_card.export.start',
        'client_card.export_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'queue', 'tryton-ok', default=True),
            ])
    queue = StateTransition()
    open_ = StateAction('client_card.act_export_job')

    def default_start(self, fields):
        selected = 0
        if self.model and self.model.__name__ == 'party.party':
            selected = len(self.records)
        return {'selected': selected}

    def transition_queue(self):
        Job = Pool().get('client_card.export.job')
        parties = []
        if self.model and self.model.__name__ == 'party.party':
            parties = [p.id for p in self.records]
        job = Job(format=self.start.format, profile=self.start.profile,
            vcard_version=self.start.vcard_version,
            vcard_split=self.start.vcard_split, since=self.start.since,
            parties=parties)
        job.save()
        Job.queue([job])
        return 'open_'

    def do_open_(self, action):
        Job = Pool().get('client_card.export.job')
        job, = Job.search([('create_uid', '=', Transaction().user)],
            order=[('id', 'DESC')], limit=1)
        action['res_id'] = [job.id]
        action['views'].reverse()
        return action, {}
