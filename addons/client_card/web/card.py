# This file is part of the insurance intermediary platform.
"""Routes of the card: /portal/card, /portal/card/<section>,
/portal/card/confirm, /portal/card/export and the scans of the
documents. Every write goes through the models, whose history records
the client, the portal and the address."""
import csv
import io
import json

from flask import abort, flash, redirect, render_template, request, session, url_for
from trytond.exceptions import UserError
from trytond.i18n import gettext as message
from trytond.modules.portal import i18n
from trytond.modules.portal.web import auth, forms
from trytond.modules.portal.web.auth import transaction
from trytond.modules.portal.web.files import file_response
from trytond.modules.portal.web.i18n import N_
from trytond.modules.portal.web.i18n import gettext as _
from trytond.modules.portal.web.tryton import tryton
from trytond.transaction import Transaction, without_check_access

from ..exceptions import CardIncomplete, CardValidationError
from . import sections
from .blueprint import blueprint

SESSION_KEY = 'card_party'
STATUS_LABELS = {
    'missing': N_("To complete"),
    'staff': N_("Entered by the intermediary: check and confirm"),
    'complete': N_("Complete"),
    }
STATE_LABELS = {
    'draft': N_("Draft: fill in the sections and confirm"),
    'pending': N_("Confirmed: it becomes active with your first quote "
        "request"),
    'active': N_("Active"),
    'closed': N_("Closed: the card is no longer in use"),
    }


def card_party():
    """Return the party whose card the web user works on, read fresh: their
    own, or one of the companies they act for (chosen on the card page)."""
    Party = tryton.pool.get('party.party')
    user = auth.current_user()
    parties = {p.id: p for p in user.acting_parties}
    chosen = session.get(SESSION_KEY)
    if chosen in parties:
        return Party(chosen)
    if not user.party:
        abort(404)
    return Party(user.party.id)


def last_confirmation(party):
    Confirmation = tryton.pool.get('party.card.confirmation')
    return Confirmation.last_of([party]).get(party.id)


def overview(party):
    "Return the sections of the card with their state for the client."
    since = last_confirmation(party)
    names = sections.labels(party.card_kind)
    return [{
            'code': code, 'label': names[code],
            'status': party.card_section_status(code, since),
            } for code in party.card_sections]


@blueprint.route('/')
@transaction(restricted=True)
def index():
    user = auth.current_user()
    chosen = request.args.get('party', type=int)
    if chosen is not None:
        if chosen not in {p.id for p in user.acting_parties}:
            abort(404)
        session[SESSION_KEY] = chosen
        return redirect(url_for('client_card.index'))
    return render_index(card_party())


def render_index(party, error=None, status=200):
    return render_template(
        'client_card/index.html', party=party, rows=overview(party),
        parties=auth.current_user().acting_parties,
        status_labels=STATUS_LABELS, state_labels=STATE_LABELS,
        confirmation=last_confirmation(party), error=error), status


@blueprint.route('/<section>')
@transaction(restricted=True)
def section(section):
    party = card_party()
    if section not in party.card_sections and section != 'identity':
        abort(404)
    return render_section(party, section, sections.to_form(party, section))


def render_section(party, section, values, errors=None, status=200):
    pool = tryton.pool
    Country = pool.get('country.country')
    Party = pool.get('party.party')
    Subdivision = pool.get('country.subdivision')
    selections = Party.fields_get(['sex', 'legal_form', 'marital_status',
            'occupation', 'income_band'])
    confirmation = last_confirmation(party)
    return render_template(
        f'client_card/{section}.html', party=party, section=section,
        label=sections.labels(party.card_kind)[section],
        values=values, errors=errors or {},
        selection={n: [(k, v) for k, v in f['selection'] if k]
            for n, f in selections.items()},
        status=party.card_section_status(section, confirmation),
        countries=Country.search([], order=[('name', 'ASC')]),
        provinces=Subdivision.italian_provinces(),
        choices=child_choices(section)), status


def child_choices(section):
    "Return the selections of the lists a section holds."
    pool = tryton.pool
    models = {
        'document': ('party.card.document', 'type'),
        'family': ('party.card.household', 'relation'),
        'representatives': ('party.card.representative', 'role'),
        }
    if section not in models:
        return []
    model, field = models[section]
    return pool.get(model).fields_get([field])[field]['selection']


@blueprint.route('/<section>', methods=['POST'])
@transaction(restricted=True)
def save(section):
    party = card_party()
    if section not in party.card_sections and section != 'identity':
        abort(404)
    form = request.form
    values, errors = sections.from_form(party, section, form)
    if not errors:
        errors = write_section(party, section, values, form)
    if errors:
        Transaction().rollback()
        party = card_party()
        return render_section(party, section, form, errors, status=400)
    flash(_("%(section)s saved.",
            section=_(sections.labels(party.card_kind)[section])), 'info')
    if section == 'identity' or request.form.get('stay'):
        return redirect(url_for('client_card.section', section=section))
    return redirect(url_for('client_card.index'))


def write_section(party, section, values, form):
    "Write the section; return the errors by form field."
    Party = tryton.pool.get('party.party')
    changed = {k: v for k, v in values.items()
        if current(party, k) != v}
    try:
        with Transaction().set_context(
                card_user_agent=request.user_agent.string[:500]):
            if changed:
                Party.write([party], changed)
            errors = {}
            writer = CHILD_WRITERS.get(section)
            if writer:
                errors = writer(Party(party.id), form)
    except CardValidationError as error:
        return {sections.form_name(section, error.field):
            error.message.rstrip(' -')}
    except UserError as error:
        return {first_field(section): error.message}
    return errors


def current(party, field):
    value = getattr(party, field)
    return value.id if hasattr(value, 'id') else value


def first_field(section):
    return {
        'identity': 'fiscal_code', 'document': 'document_number',
        'residence': 'street', 'family': 'marital_status',
        'activity': 'occupation', 'bank': 'iban', 'contacts': 'emails',
        'representatives': 'rep_name'}[section]


def write_documents(party, form):
    "Add the document of the form, with its scans, when one is typed."
    Document = tryton.pool.get('party.card.document')
    names = ['document_type', 'document_number', 'document_issuer',
        'document_issue_date', 'document_expiry_date']
    if not any(form.get(n) for n in names):
        return {} if party.documents else {
            'document_number': _("This field is required.")}
    errors = {}
    forms.required(form, names, errors)
    if form.get('document_type') not in dict(child_choices('document')):
        errors['document_type'] = _("Choose the type of document.")
    dates = {}
    for name in ['document_issue_date', 'document_expiry_date']:
        try:
            dates[name] = sections.read_date(form.get(name, ''))
        except ValueError as error:
            errors[name] = str(error)
    if errors:
        return errors
    values = {
        'party': party.id, 'type': form['document_type'],
        'number': form['document_number'].strip().upper(),
        'issuer': form['document_issuer'].strip(),
        'issue_place': form.get('document_issue_place', '').strip() or None,
        'issue_date': dates['document_issue_date'],
        'expiry_date': dates['document_expiry_date'],
        }
    for side, name in [('front', 'document_scan'),
            ('back', 'document_scan_back')]:
        upload = request.files.get(name)
        if upload and upload.filename:
            values[side] = upload.read()
            values[f'{side}_name'] = upload.filename
    try:
        Document.create([values])
    except UserError as error:
        field = getattr(error, 'field', None) or (
            'document_scan' if 'file' in error.message.lower()
            else 'document_number')
        return {field: error.message.rstrip(' -')}
    return {}


def write_household(party, form):
    "Add or remove a household member."
    Member = tryton.pool.get('party.card.household')
    if form.get('remove_member'):
        members = Member.search([('id', '=', form.get('remove_member', type=int)),
                ('party', '=', party.id)])
        Member.delete(members)
        return {}
    if not form.get('member_name', '').strip():
        return {}
    errors = {}
    if form.get('member_relation') not in dict(child_choices('family')):
        errors['member_relation'] = _("Choose the relation.")
    try:
        birth_date = sections.read_date(form.get('member_birth_date', ''))
    except ValueError as error:
        errors['member_birth_date'] = str(error)
    if errors:
        return errors
    Member.create([{'party': party.id, 'name': form['member_name'].strip(),
                'relation': form['member_relation'],
                'birth_date': birth_date}])
    return {}


def write_representatives(party, form):
    "Add or remove a representative or owner."
    Representative = tryton.pool.get('party.card.representative')
    if form.get('remove_representative'):
        Representative.delete(Representative.search([
                    ('id', '=', form.get('remove_representative', type=int)),
                    ('party', '=', party.id)]))
        return {}
    names = ['rep_name', 'rep_fiscal_code', 'rep_role']
    if not any(form.get(n) for n in names):
        return {}
    errors = {}
    forms.required(form, names, errors)
    if form.get('rep_role') and form['rep_role'] not in dict(
            child_choices('representatives')):
        errors['rep_role'] = _("Choose the role.")
    try:
        share = sections.read_share(form.get('rep_share', '').strip())
    except ValueError as error:
        errors['rep_share'] = str(error)
    if errors:
        return errors
    try:
        Representative.create([{'party': party.id,
                    'name': form['rep_name'].strip(),
                    'fiscal_code': form['rep_fiscal_code'],
                    'role': form['rep_role'], 'share': share}])
    except CardValidationError as error:
        return {'rep_' + (error.field or 'fiscal_code'):
            error.message.rstrip(' -')}
    return {}


def write_contacts(party, form):
    "Make the party's emails and phones those of the form."
    Mechanism = tryton.pool.get('party.contact_mechanism')
    errors, wanted = {}, {}
    checks = {'email': forms.check_email, 'mobile': forms.check_phone,
        'phone': forms.check_phone}
    for kind, check in checks.items():
        wanted[kind] = []
        for line in sections.lines(form.get(f'{kind}s')):
            try:
                wanted[kind].append(check(line))
            except ValueError as error:
                errors[f'{kind}s'] = str(error)
    if not wanted['email']:
        errors.setdefault('emails', _("Enter at least one email address."))
    if errors:
        return errors
    existing = [m for m in party.contact_mechanisms if m.type in checks]
    keep = {(m.type, m.value) for m in existing}
    with without_check_access():
        # the web user's own contacts only: the party is theirs
        Mechanism.delete([m for m in existing
                if m.value not in wanted[m.type]])
    Mechanism.create([{'party': party.id, 'type': kind, 'value': value}
            for kind, values in wanted.items() for value in values
            if (kind, value) not in keep])
    return {}


CHILD_WRITERS = {
    'document': write_documents,
    'family': write_household,
    'representatives': write_representatives,
    'contacts': write_contacts,
    }


@blueprint.route('/confirm', methods=['POST'])
@transaction(restricted=True)
def confirm():
    Party = tryton.pool.get('party.party')
    party = card_party()
    user = auth.current_user()
    try:
        with Transaction().set_context(
                card_user_agent=request.user_agent.string[:500]):
            Party.confirm_card([party], web_user=user)
    except CardIncomplete as error:
        Transaction().rollback()
        return render_index(card_party(), error=error.message.rstrip(' -'),
            status=400)
    flash(_("Your card is confirmed: the summary is on its way to your "
            "email."), 'info')
    return redirect(url_for('client_card.index'))


@blueprint.route('/document/<int:document>/<any(front, back):side>')
@transaction(restricted=True)
def scan(document, side):
    "A scan of one of the client's documents."
    Document = tryton.pool.get('party.card.document')
    documents = Document.search([('id', '=', document)], limit=1)
    if not documents or not getattr(documents[0], side):
        abort(404)
    document, = documents
    name = getattr(document, f'{side}_name')
    data = getattr(document, side)
    mime_type = 'application/pdf' if name.endswith('.pdf') else (
        'image/png' if name.endswith('.png') else 'image/jpeg')
    return file_response(data, name, mime_type, inline=True)


@blueprint.route('/export')
@transaction(restricted=True)
def export():
    "The client's whole card, consents and documents (GDPR art. 15, 20)."
    party = card_party()
    data = portability(party)
    name = i18n.file_name(message('client_card.msg_card_title'), party.name,
        'csv' if request.args.get('format') == 'csv' else 'json')
    if request.args.get('format') == 'csv':
        return file_response(to_csv(data).encode('utf-8-sig'), name,
            'text/csv')
    return file_response(
        json.dumps(data, ensure_ascii=False, indent=2).encode(), name,
        'application/json')


def portability(party):
    "Return everything the client's card holds, ready for JSON."
    pool = tryton.pool
    Party = pool.get('party.party')
    Record = pool.get('consent.record')
    History = pool.get('party.card.history')
    Confirmation = pool.get('party.card.confirmation')
    return {
        'card': Party.card_snapshot(party),
        'consents': [{
                'form': r.form.code, 'version': r.version.number,
                'answer': r.answer, 'time': r.time.isoformat(),
                'validation_string': r.validation_string,
                } for r in Record.search([('party', '=', party.id)])],
        'confirmations': [{
                'time': c.time.isoformat(), 'card_hash': c.card_hash,
                'validation_string': c.validation_string,
                } for c in Confirmation.search([('party', '=', party.id)])],
        'documents': [{
                'type': d.type, 'number': d.number,
                'expiry_date': d.expiry_date.isoformat(), 'state': d.state,
                'scans': [n for n in [d.front_name, d.back_name] if n],
                } for d in party.documents],
        'history': [{
                'time': h.time.isoformat(), 'section': h.section,
                'field': h.field_name, 'value': h.value,
                'channel': h.channel,
                } for h in History.search([('party', '=', party.id)],
                order=[('id', 'ASC')])],
        }


def to_csv(data):
    "Return the data as rows: part, key, field, value."
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(['part', 'key', 'field', 'value'])
    for section, values in data['card'].items():
        for field, value in values.items():
            writer.writerow(['card', section, field, cell(value)])
    for part in ['consents', 'confirmations', 'documents', 'history']:
        for index, row in enumerate(data[part], 1):
            for field, value in row.items():
                writer.writerow([part, index, field, cell(value)])
    return output.getvalue()


def cell(value):
    "A CSV cell: lists as JSON, formulas never started."
    text = json.dumps(value, ensure_ascii=False) if isinstance(
        value, (list, dict)) else '' if value is None else str(value)
    if text[:1] in {'=', '+', '-', '@'}:
        text = "'" + text
    return text
