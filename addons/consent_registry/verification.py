# This file is part of the insurance intermediary platform.
import datetime as dt
import hashlib
import logging
import os
from concurrent.futures import ThreadPoolExecutor

from trytond import config
from trytond.filestore import filestore
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateView, Wizard

from .record import SEALED_FIELDS, store_prefix, utc_now

logger = logging.getLogger(__name__)
BATCH = 10000  # rows read at once
CHUNK = 500  # files one thread hashes at once


def hash_workers():
    "Return the threads hashing files: ``[consent] verify_threads``."
    return config.getint('consent', 'verify_threads',
        default=min(8, 2 * (os.cpu_count() or 1)))


def file_digests(ids, prefix):
    """Return the SHA-256 of each stored file, None where it is missing:
    hashlib and file reads release the GIL, so threads run in parallel."""
    result = []
    for id_ in ids:
        try:
            data = filestore.get(id_, prefix=prefix)
        except (FileNotFoundError, TypeError, ValueError):
            result.append(None)
        else:
            result.append(hashlib.sha256(data).hexdigest())
    return result


def _timestamp(value):
    "Return the database value of a timestamp as a datetime."
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value


class Verification(ModelSQL, ModelView):
    "Consent Chain Verification"
    __name__ = 'consent.verification'
    time = fields.Timestamp("Time (UTC)", readonly=True)
    records = fields.Integer("Records", readonly=True)
    parties = fields.Integer("Parties", readonly=True)
    breaks = fields.Integer("Breaks", readonly=True)
    report = fields.Text("Report", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('time', 'DESC'), ('id', 'DESC')]

    @classmethod
    def check(cls):
        """Check every party's chain, every stored PDF and every published
        text; return the saved verification."""
        records, parties, breaks = cls.check_records()
        breaks += cls.check_versions()
        if breaks:
            summary = gettext('consent_registry.msg_chain_broken',
                breaks=len(breaks), records=records, parties=parties)
            logger.error("%s\n%s", summary, '\n'.join(breaks))
        else:
            summary = gettext('consent_registry.msg_chain_ok',
                records=records, parties=parties)
        verification, = cls.create([{
                    'time': utc_now(),
                    'records': records,
                    'parties': parties,
                    'breaks': len(breaks),
                    'report': '\n'.join([summary] + breaks),
                    }])
        return verification

    @classmethod
    def check_records(cls, party=None):
        """Return the counts of records and parties and the list of breaks:
        the rows are read in batches while threads hash the files of the
        batch before, and the chains are checked in order."""
        breaks, count, previous = [], 0, {}
        for batch, digests in cls.hashed_batches(party):
            for values, digest in zip(batch, digests):
                count += 1
                breaks += cls.check_record(
                    values, previous.get(values['party']), digest)
                previous[values['party']] = values['chain_hash']
        return count, len(previous), breaks

    @classmethod
    def hashed_batches(cls, party=None):
        """Yield each batch of sealed rows with the SHA-256 of their PDFs
        (None where missing), hashed by a bounded pool of threads one batch
        ahead of the chain check; memory holds two batches' rows."""
        prefix = store_prefix()
        with ThreadPoolExecutor(max_workers=hash_workers()) as executor:
            pending = None
            for batch in cls.sealed_batches(party):
                ids = [values['pdf_id'] for values in batch]
                futures = [executor.submit(file_digests, ids[i:i + CHUNK],
                        prefix) for i in range(0, len(ids), CHUNK)]
                if pending:
                    yield cls._collect(*pending)
                pending = batch, futures
            if pending:
                yield cls._collect(*pending)

    @staticmethod
    def _collect(batch, futures):
        return batch, [d for future in futures for d in future.result()]

    @classmethod
    def sealed_rows(cls, party=None, size=BATCH):
        "Yield the sealed values of the records in creation order."
        for batch in cls.sealed_batches(party, size):
            yield from batch

    @classmethod
    def sealed_batches(cls, party=None, size=BATCH):
        """Yield lists of the sealed values of the records in creation
        order, read along the primary key so memory stays flat."""
        Record = Pool().get('consent.record')
        table = Record.__table__()
        columns = ['id'] + SEALED_FIELDS + ['previous_hash', 'chain_hash']
        cursor = Transaction().connection.cursor()
        last = 0
        while True:
            where = table.id > last
            if party is not None:
                where &= table.party == party.id
            cursor.execute(*table.select(
                    *[getattr(table, c) for c in columns], where=where,
                    order_by=[table.id.asc], limit=size))
            rows = cursor.fetchall()
            batch = []
            for row in rows:
                values = dict(zip(columns, row))
                values['time'] = _timestamp(values['time'])
                batch.append(values)
            if batch:
                yield batch
            if len(rows) < size:
                return
            last = rows[-1][0]

    @classmethod
    def check_record(cls, values, previous, digest=()):
        """Return the breaks found in one record; ``digest`` is the SHA-256
        of its PDF when already taken (None: the file is missing)."""
        Record = Pool().get('consent.record')
        record = values['id']
        breaks = [gettext(f'consent_registry.msg_break_{kind}', record=record)
            for kind in Record.chain_breaks(values, previous)]
        if digest == ():
            digest, = file_digests([values['pdf_id']], store_prefix())
        if digest is None:
            breaks.append(gettext(
                    'consent_registry.msg_break_pdf_missing', record=record))
        elif digest != values['pdf_hash']:
            breaks.append(gettext(
                    'consent_registry.msg_break_pdf', record=record))
        return breaks

    @classmethod
    def check_versions(cls):
        "Return the published versions whose text no longer has its hash."
        Version = Pool().get('consent.form.version')
        return [gettext('consent_registry.msg_break_text',
                version=v.rec_name)
            for v in Version.search([('state', '!=', 'draft')])
            if v.compute_text_hash() != v.text_hash]

    @classmethod
    def run_cron(cls):
        cls.check()


class VerifyResult(ModelView):
    "Consent Chain Verification"
    __name__ = 'consent.verify.result'
    verification = fields.Many2One(
        'consent.verification', "Verification", readonly=True)
    report = fields.Text("Report", readonly=True)


class Verify(Wizard):
    "Verify Consent Chains"
    __name__ = 'consent.verify'
    start = StateView('consent.verify.result',
        'consent_registry.verify_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        Verification = Pool().get('consent.verification')
        verification = Verification.check()
        return {
            'verification': verification.id,
            'report': verification.report,
            }
