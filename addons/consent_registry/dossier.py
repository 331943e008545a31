# This file is part of the insurance intermediary platform.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.portal import formats, i18n, seal
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from . import pdf


def dossier_pdf(party, since=None):
    """Return the PDF of the party's whole consent trail, or of the part
    since a date, ending with the check of the party's chain."""
    pool = Pool()
    Record = pool.get('consent.record')
    Verification = pool.get('consent.verification')
    domain = [('party', '=', party.id)]
    if since:
        domain.append(('time', '>=', dt.datetime.combine(since, dt.time())))
    records = Record.search(domain, order=[('id', 'ASC')])
    language = Transaction().language or 'it'
    entries = []
    for record in records:
        version = record.version
        heading = gettext('consent_registry.msg_dossier_entry',
            date=formats.format_datetime(record.time, language),
            form=version.form.name, version=version.number,
            answer=record.answer_string)
        values = {n: getattr(record, n) for n in [
                'answer', 'time', 'channel', 'ip_address', 'user_agent',
                'emailed_to', 'validation_string', 'text_hash',
                'previous_hash', 'pdf_hash', 'chain_hash']}
        entries.append(
            (heading, version.text or '', Record.evidence_rows(values)))
    count, _, breaks = Verification.check_records(party=party)
    if breaks:
        conclusion = '\n'.join([gettext('consent_registry.msg_chain_broken',
                    breaks=len(breaks), records=count, parties=1)] + breaks)
    else:
        conclusion = gettext('consent_registry.msg_chain_ok',
            records=count, parties=1)
    if since:
        title = gettext('consent_registry.msg_dossier_since',
            party=party.rec_name, date=formats.format_date(since, language))
    else:
        title = gettext(
            'consent_registry.msg_dossier_title', party=party.rec_name)
    letterhead = gettext('consent_registry.msg_dossier_letterhead',
        name=seal.option('name', seal.DEFAULT_NAME), date=formats.format_datetime(
            dt.datetime.now(dt.timezone.utc), language))
    data = pdf.dossier_pdf(
        title, Record.party_rows(party), entries, conclusion,
        letterhead=letterhead,
        page=gettext('consent_registry.msg_dossier_page'))
    return seal.seal(data, reason=title, location=seal.location(),
        language=language)


class DossierReport(Report):
    "Consent Dossier"
    __name__ = 'consent.dossier'

    @classmethod
    def execute(cls, ids, data):
        Party = Pool().get('party.party')
        party_id = data.get('party') or (ids or data.get('ids'))[0]
        since = data.get('since')
        if isinstance(since, str):
            since = dt.date.fromisoformat(since)
        party = Party(party_id)
        with Transaction().set_context(language=Transaction().language):
            content = dossier_pdf(party, since)
        return 'pdf', content, False, f'dossier-{party.id}'


class DossierStart(ModelView):
    "Consent Dossier"
    __name__ = 'consent.dossier.start'
    party = fields.Many2One('party.party', "Party", required=True)
    since = fields.Date(
        "Since", help="Leave empty for the whole trail from the start.")


class DossierWizard(Wizard):
    "Print Consent Dossier"
    __name__ = 'consent.dossier.print'
    start = StateView('consent.dossier.start',
        'consent_registry.dossier_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('consent.dossier')

    def default_start(self, fields):
        context = Transaction().context
        if context.get('active_model') == 'party.party':
            return {'party': context.get('active_id')}
        return {}

    def do_print_(self, action):
        return action, {
            'party': self.start.party.id,
            'since': self.start.since.isoformat() if self.start.since
            else None,
            }


def dossier_file_name(party):
    "Return the dossier's file name, in the reader's language."
    return i18n.file_name(gettext('consent_registry.msg_file_dossier'),
        party.name, 'pdf')
