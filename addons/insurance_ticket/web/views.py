# This file is part of the insurance intermediary platform.
"""Routes of the tickets: /portal/tickets/new, /portal/tickets/<uuid> and
the actions and downloads of a ticket."""
import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from flask import (
    abort, flash, redirect, render_template, request, url_for)
from stdnum.it import codicefiscale

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.portal import formats
from trytond.modules.portal.web import auth, forms
from trytond.modules.portal.web.files import file_response
from trytond.modules.portal.web.i18n import N_, current_language
from trytond.modules.portal.web.i18n import gettext as _
from trytond.modules.portal.web.auth import transaction
from trytond.modules.portal.web.tryton import tryton
from trytond.transaction import Transaction, without_check_access

from ..exceptions import TicketEnded
from . import questionnaire
from .blueprint import blueprint

STAGES = [
    ('open', N_("Open")),
    ('progress', N_("In progress")),
    ('closed', N_("Closed")),
    ]
DASHBOARD_LIMIT = 20
LIST_LIMIT = 50
# what each state waits for, and from whom: the desk, the broker or the
# client
NEXT_STEPS = {
    'new': ('staff', N_("the service desk takes the ticket in charge.")),
    'in_charge': ('staff', N_("the service desk works on it and forwards it "
            "to the broker.")),
    'waiting': ('client', N_("the service desk waits for the client's "
            "answer in the thread.")),
    'at_broker': ('broker', N_("the broker prepares the questionnaire or "
            "the quote.")),
    'questionnaire_sent': ('client', N_("the client returns the "
            "questionnaire, online or as the spreadsheet.")),
    'questionnaire_returned': ('broker', N_("the broker prepares the "
            "quote.")),
    'quote_sent': ('client', N_("the client accepts or declines the "
            "quote.")),
    'accepted': ('broker', N_("the broker sends the final policy for "
            "signature.")),
    'signing': ('client', N_("the client signs the policy with the code "
            "sent by email.")),
    'signed': ('broker', N_("the broker closes the ticket.")),
    }
# the names of the documents the platform writes, in the reader's language
DOCUMENT_LABELS = {
    'questionnaire': N_("Questionnaire"),
    'quote': N_("Quote"),
    'signed': N_("Signed policy"),
    }
GENERATED = {'questionnaire': 'xlsx', 'quote': 'pdf', 'signed': 'pdf'}


def local_time(value):
    "Return the stored timestamp in the configured zone, to the minute."
    return formats.format_datetime(value, current_language())


def euro(value):
    "Return the amount in euro as the visitor's language writes it."
    return formats.format_amount(value, current_language())


blueprint.add_app_template_global(lambda: uuid.uuid4().hex, 'request_key')
blueprint.add_app_template_filter(local_time, 'ticket_time')
blueprint.add_app_template_filter(euro, 'euro')


def dashboard(user):
    "The tickets of the web user grouped by stage, with counts."
    Ticket = tryton.pool.get('insurance.ticket')
    stages = Ticket.by_stage(DASHBOARD_LIMIT)
    groups = [{
            'stage': stage, 'label': label, 'count': stages[stage][0],
            'tickets': stages[stage][1],
            } for stage, label in STAGES]
    return {
        'template': 'insurance_ticket/_dashboard.html',
        'ticket_groups': groups,
        'state_labels': state_labels(),
        # whom a ticket is for is news only to who acts for several parties
        'show_party': user.is_broker or len(user.acting_parties) > 1,
        }


def state_labels():
    Ticket = tryton.pool.get('insurance.ticket')
    return dict(Ticket.fields_get(['state'])['state']['selection'])


def uploads(category='file'):
    """Return the checked values of the uploaded files, each streamed from
    the file the request was spooled to into the store."""
    Attachment = tryton.pool.get('insurance.ticket.attachment')
    return [
        Attachment.upload(f.filename or 'file', f.stream, category)
        for f in request.files.getlist('attachments') if f.filename]


# The list of the visitor's tickets

@blueprint.route('/')
@transaction(restricted=True)
def index():
    "The tickets the visitor sees: searched, filtered, newest first."
    pool = tryton.pool
    Ticket = pool.get('insurance.ticket')
    Line = pool.get('insurance.ticket.line')
    user = auth.current_user()
    args = request.args
    domain = ticket_domain(args)
    page = max(args.get('page', 1, type=int) or 1, 1)
    order = [('last_activity_at', 'ASC' if args.get('sort') == 'oldest'
            else 'DESC'), ('id', 'DESC')]
    count = Ticket.search_count(domain)
    tickets = Ticket.search(domain, order=order,
        offset=(page - 1) * LIST_LIMIT, limit=LIST_LIMIT)
    return render_template(
        'insurance_ticket/index.html', tickets=tickets, count=count,
        page=page, pages=max(1, -(-count // LIST_LIMIT)), args=args,
        stages=STAGES, lines=Line.search([]), state_labels=state_labels(),
        broker=bool(user.is_broker), waiting_for=waiting_for(user))


def ticket_domain(args):
    "Return the search of the tickets list's query, stage and line."
    domain = []
    text = args.get('q', '').strip()[:100]
    if text:
        domain.append(['OR',
                ('number', 'ilike', f'%{text}%'),
                ('title', 'ilike', f'%{text}%'),
                ('description', 'ilike', f'%{text}%'),
                ('condominium.name', 'ilike', f'%{text}%'),
                ('condominium.fiscal_code', 'ilike', f'%{text}%'),
                ('client.name', 'ilike', f'%{text}%'),
                ('client_company.name', 'ilike', f'%{text}%'),
                ])
    if args.get('stage') in dict(STAGES):
        domain.append(('stage', '=', args['stage']))
    if args.get('line'):
        domain.append(('line.code', '=', args['line'][:50]))
    return domain


def waiting_for(user):
    "Return the states in which a ticket waits for the visitor's role."
    role = 'broker' if user.is_broker else 'client'
    return {state for state, (who, _) in NEXT_STEPS.items() if who == role}


# New ticket

def new_ticket_choices(user):
    pool = tryton.pool
    Line = pool.get('insurance.ticket.line')
    RequestType = pool.get('insurance.ticket.request_type')
    return {
        'lines': Line.search([]),
        'request_types': RequestType.search([]),
        'companies': [p for p in user.acting_parties if p != user.party],
        }


@blueprint.route('/new')
@transaction(restricted=True)
def new():
    user = auth.current_user()
    return render_template(
        'insurance_ticket/new.html', values={}, errors={},
        **new_ticket_choices(user))


@blueprint.route('/new', methods=['POST'])
@transaction(restricted=True)
def create():
    pool = tryton.pool
    Ticket = pool.get('insurance.ticket')
    Message = pool.get('insurance.ticket.message')
    user = auth.current_user()
    form = request.form
    key = form.get('request_key', '')[:64] or None
    if key and (done := Ticket.search([('request_key', '=', key)], limit=1)):
        # the same form posted again (a retry after a lost answer)
        return redirect(url_for('insurance_ticket.show', uuid=done[0].uuid))
    choices = new_ticket_choices(user)
    values, errors = check_new_ticket(form, choices)
    values['request_key'] = key
    files = []
    if not errors:
        try:
            files = uploads()
        except UserError as error:
            errors['attachments'] = error.message
    if not errors:
        try:
            ticket = Ticket.open(
                values, form.get('description', '').strip(), files,
                Message.web_author(user))
        except UserError as error:
            errors['attachments'] = error.message
    if errors:
        # nothing of a refused ticket is kept, the new condominium neither
        Transaction().rollback()
        return render_template(
            'insurance_ticket/new.html', values=form, errors=errors,
            **new_ticket_choices(auth.current_user())), 400
    flash(_("Ticket %(number)s opened.", number=ticket.number), 'info')
    return redirect(url_for('insurance_ticket.show', uuid=ticket.uuid))


def check_new_ticket(form, choices):
    "Return the ticket values and the errors of the new-ticket form."
    errors = forms.too_long(form, {})
    lines = {l.code: l for l in choices['lines']}
    types = {t.code: t for t in choices['request_types']}
    companies = {str(c.id): c for c in choices['companies']}
    user = auth.current_user()
    line = lines.get(form.get('line', ''))
    request_type = types.get(form.get('request_type', ''))
    company = companies.get(form.get('company', ''))
    if not line:
        errors['line'] = _("Choose the line of business.")
    if not request_type:
        errors['request_type'] = _("Choose the request type.")
    if form.get('company') and not company:
        errors['company'] = _("Choose one of your companies.")
    if not form.get('description', '').strip():
        errors['description'] = _("Describe the request.")
    condominium, condominium_errors = find_condominium(
        form, company or user.party)
    errors.update(condominium_errors)
    values = {}
    if not errors:
        title = form.get('title', '').strip() or (
            f'{request_type.name} - {condominium.name}' if condominium
            else request_type.name)
        values = {
            'title': title[:200],
            'client': user.party.id,
            'client_company': company.id if company else None,
            'client_vat': vat_of(company or user.party),
            'line': line.id,
            'request_type': request_type.id,
            'condominium': condominium.id if condominium else None,
            }
    return values, errors


def vat_of(party):
    for identifier in party.identifiers:
        if identifier.type == 'eu_vat':
            return identifier.code
    return None


def find_condominium(form, administrator):
    """Return the condominium of the form among the web user's, created if
    new, and errors; one registered by another administrator is refused."""
    Condominium = tryton.pool.get('insurance.condominium')
    name = form.get('condominium_name', '').strip()
    code = codicefiscale.compact(form.get('condominium_fiscal_code', ''))
    if not name and not code:
        return None, {}
    errors = {}
    if not name:
        errors['condominium_name'] = _("Enter the name of the condominium.")
    if not codicefiscale.is_valid(code):
        errors['condominium_fiscal_code'] = _(
            "This fiscal code is not valid: check the 11 digits.")
    if errors:
        return None, errors
    condominiums = Condominium.search([('fiscal_code', '=', code)], limit=1)
    if condominiums:
        return condominiums[0], {}
    with without_check_access():
        elsewhere = Condominium.search_count([('fiscal_code', '=', code)])
    if elsewhere:
        return None, {'condominium_fiscal_code': _(
                "This condominium is registered with another administrator: "
                "the service desk can transfer it to you.")}
    condominium = Condominium(
        name=name, fiscal_code=code, administrator=administrator)
    condominium.save()
    return condominium, {}


# The ticket page

def get_ticket(uuid):
    "Return the ticket the web user may see, or answer 404."
    Ticket = tryton.pool.get('insurance.ticket')
    tickets = Ticket.search([('uuid', '=', uuid)], limit=1)
    if not tickets:
        abort(404)
    return tickets[0]


def render_ticket(ticket, values=None, errors=None, status=200,
        page=None, rows=None):
    Message = tryton.pool.get('insurance.ticket.message')
    RiskType = tryton.pool.get('quote.risk.type')
    user = auth.current_user()
    errors = errors or {}
    actions = ticket.portal_actions(user)
    roles = ticket.portal_roles(user)
    answering = errors.get('action') == questionnaire.ACTION
    questions = questionnaire.form(ticket, user, page,
        values if answering else None, errors if answering else None,
        rows if answering else None, actions=actions, roles=roles)
    return render_template(
        'insurance_ticket/ticket.html', ticket=ticket,
        # searched, not read through the ticket: the record rules that hide
        # internal notes apply to searches only
        thread=Message.search([('ticket', '=', ticket.id)]),
        roles=roles, actions=actions, next_step=next_step(ticket, roles),
        code_destination=code_destination(user),
        file_label=file_label, state_labels=state_labels(),
        questions=questions, values=values or {}, errors=errors,
        risks=RiskType.offered() if 'send_questionnaire' in actions
        else [], today=dt.date.today()), status


def next_step(ticket, roles):
    "Return what the ticket waits for, and whether from the visitor."
    if ticket.state not in NEXT_STEPS:
        return None
    role, text = NEXT_STEPS[ticket.state]
    return {'text': text, 'mine': role in roles}


def code_destination(user):
    "Return where the signature code goes, masked, as the page says it."
    SignatureRequest = tryton.pool.get('insurance.ticket.signature_request')
    return ', '.join(SignatureRequest.destinations(user))


def file_label(attachment):
    "Return the name shown of a file: the platform's own in the language."
    if attachment.category in GENERATED and attachment.name.endswith(
            '.' + GENERATED[attachment.category]):
        number = attachment.ticket.number
        return (f'{_(DOCUMENT_LABELS[attachment.category])} {number}.'
            f'{GENERATED[attachment.category]}')
    return attachment.name


@blueprint.route('/<uuid>')
@transaction(restricted=True)
def show(uuid):
    return render_ticket(get_ticket(uuid))


@blueprint.route('/<uuid>/files/<id:attachment_id>')
@transaction(restricted=True)
def download(uuid, attachment_id):
    Attachment = tryton.pool.get('insurance.ticket.attachment')
    attachments = Attachment.search([
            ('id', '=', attachment_id),
            ('ticket.uuid', '=', uuid),
            ], limit=1)
    if not attachments:
        abort(404)
    attachment, = attachments
    if attachment.data is None:
        # the record is there but the file store lost its bytes
        abort(404)
    return file_response(attachment.data, attachment.name,
        attachment.mime_type, inline=request.args.get('view') == '1')


@blueprint.route('/<uuid>/messages', methods=['POST'])
@transaction(restricted=True)
def reply(uuid):
    Message = tryton.pool.get('insurance.ticket.message')
    ticket = get_ticket(uuid)
    user = auth.current_user()
    body = request.form.get('body', '').strip()
    try:
        files = uploads()
    except UserError as error:
        return render_ticket(
            ticket, request.form, {'attachments': error.message}, 400)
    if not body and not files:
        return render_ticket(
            ticket, request.form, {'body': _("Write a message.")}, 400)
    if errors := forms.too_long(request.form, {}):
        return render_ticket(ticket, request.form, errors, 400)
    try:
        ticket.reply(body, files, Message.web_author(user))
    except TicketEnded:
        abort(403)
    flash(_("Message sent."), 'info')
    return redirect(url_for('insurance_ticket.show', uuid=uuid))


@blueprint.route('/<uuid>/questionnaire', methods=['POST'])
@transaction(restricted=True)
def answer_questionnaire(uuid):
    "A page of the ticket's questionnaire saved, or the whole confirmed."
    return questionnaire.answer(
        get_ticket(uuid), auth.current_user(), render_ticket)


ACTION_MESSAGES = {
    'send_questionnaire': N_("Questionnaire sent."),
    'return_questionnaire': N_("Questionnaire returned."),
    'send_quote': N_("Quote sent."),
    'accept': N_("You accepted the quote."),
    'decline': N_("You declined the quote."),
    'send_policy': N_("Policy sent for signature."),
    'close': N_("Ticket closed."),
    'cancel': N_("Ticket cancelled."),
    }


@blueprint.route('/<uuid>/<action>', methods=['POST'])
@transaction(restricted=True)
def act(uuid, action):
    pool = tryton.pool
    Ticket = pool.get('insurance.ticket')
    Message = pool.get('insurance.ticket.message')
    ticket = get_ticket(uuid)
    user = auth.current_user()
    if action not in ACTION_MESSAGES:
        abort(404)
    try:
        ticket.check_portal_action(user, action)
    except AccessError:
        abort(403)
    form = request.form
    body = form.get('body', '').strip()
    author = Message.web_author(user)
    errors = forms.too_long(form, {})
    if errors:
        return render_ticket(ticket, form, dict(errors, action=action), 400)
    try:
        if action == 'send_questionnaire':
            Ticket.send_questionnaire([ticket], author, body, uploads(),
                picked_risk(form))
        elif action == 'return_questionnaire':
            files = uploads('questionnaire')
            if not files:
                errors['attachments'] = _(
                    "Attach the completed questionnaire.")
            else:
                Ticket.return_questionnaire([ticket], author, body, files)
        elif action == 'send_quote':
            quote, errors = check_quote(form)
            files = uploads('contract')
            if not files:
                errors['attachments'] = _("Attach the draft contract.")
            if not errors:
                Ticket.send_quote([ticket], author, body, files, quote)
        elif action == 'accept':
            Ticket.accept([ticket], author, body, user, request.remote_addr)
        elif action == 'decline':
            Ticket.decline([ticket], author, body)
        elif action == 'send_policy':
            policy, errors = check_policy(form)
            files = uploads('policy')
            if not errors:
                Ticket.send_policy([ticket], author, body, files, policy)
        elif action == 'close':
            Ticket.finish([ticket], author, body)
        elif action == 'cancel':
            Ticket.withdraw([ticket], author, body)
    except UserError as error:
        errors['attachments'] = error.message
    if errors:
        Transaction().rollback()
        return render_ticket(
            get_ticket(uuid), form, dict(errors, action=action), 400)
    flash(_(ACTION_MESSAGES[action]), 'info')
    return redirect(url_for('insurance_ticket.show', uuid=uuid))


def picked_risk(form):
    "Return the risk whose questionnaire the broker picked, or None."
    RiskType = tryton.pool.get('quote.risk.type')
    return RiskType.offered_code(form.get('risk_type'))


def check_quote(form):
    errors = {}
    values = {
        'insurer': form.get('insurer', '').strip(),
        'coverages': form.get('coverages', '').strip(),
        }
    if not values['insurer']:
        errors['insurer'] = _("Enter the insurer.")
    try:
        values['premium'] = Decimal(
            form.get('premium', '').replace(',', '.')).quantize(Decimal('.01'))
        if values['premium'] <= 0:
            raise InvalidOperation
    except InvalidOperation:
        errors['premium'] = _("Enter the premium in euro, e.g. 1250.00.")
    values['quote_valid_until'] = parse_date(
        form.get('quote_valid_until'), 'quote_valid_until', errors)
    return values, errors


def check_policy(form):
    errors = {}
    values = {'policy_number': form.get('policy_number', '').strip()}
    if not values['policy_number']:
        errors['policy_number'] = _("Enter the policy number.")
    values['policy_start'] = parse_date(
        form.get('policy_start'), 'policy_start', errors)
    values['policy_end'] = parse_date(
        form.get('policy_end'), 'policy_end', errors)
    if (not errors and values['policy_end'] <= values['policy_start']):
        errors['policy_end'] = _("The end must follow the start.")
    return values, errors


def parse_date(text, name, errors):
    try:
        return dt.date.fromisoformat(text or '')
    except ValueError:
        errors[name] = _("Enter a date.")


@blueprint.route('/<uuid>/signature/code', methods=['POST'])
@transaction(restricted=True)
def signature_code(uuid):
    ticket = get_ticket(uuid)
    user = auth.current_user()
    try:
        request_ = ticket.request_signature_code(user)
    except AccessError:
        abort(403)
    except UserError as error:
        return render_ticket(ticket, {}, {'code': error.message}, 400)
    flash(_("We sent a code to %(destination)s.",
            destination=request_.destination), 'info')
    return redirect(url_for('insurance_ticket.show', uuid=uuid) + '#sign')


@blueprint.route('/<uuid>/signature', methods=['POST'])
@transaction(restricted=True)
def sign(uuid):
    ticket = get_ticket(uuid)
    user = auth.current_user()
    if request.form.get('read_document') != '1':
        return render_ticket(ticket, request.form, {
                'action': 'sign', 'read_document': _(
                    "Read the document and confirm you have read it.")}, 400)
    try:
        ticket.sign(
            user, request.form.get('code', ''), request.remote_addr,
            request.headers.get('User-Agent', ''))
    except AccessError:
        abort(403)
    except UserError as error:
        # the failed attempt stays counted
        return render_ticket(ticket, {}, {'code': error.message}, 400)
    flash(_("The policy is signed: the signed copy is in the thread and on "
            "its way to you by email."), 'success')
    return redirect(url_for('insurance_ticket.show', uuid=uuid))
