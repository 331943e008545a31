# This file is part of the insurance intermediary platform.
"""Routes of the agents: the sign-up at /portal/agents/signup, the agency's
page with its documents, its plan and its requests to the staff."""
import datetime as dt

from flask import flash, redirect, render_template, request, url_for

from trytond.exceptions import UserError
from trytond.modules.portal import upload
from trytond.modules.portal.formats import ascii_digits
from trytond.modules.portal.web import auth, forms
from trytond.modules.portal.web.accounts import create_account, refused_signup
from trytond.modules.portal.web.auth import transaction
from trytond.modules.portal.web.i18n import current_language
from trytond.modules.portal.web.i18n import gettext as _
from trytond.modules.portal.web.tryton import tryton
from trytond.transaction import without_check_access

from .. import rules
from ..agent import check_mobile, check_postal_code
from ..support import open_ticket
from ..web_user import SERVICE
from .blueprint import blueprint
from .common import choices, current_agent, labels

AGENCY_TEXT = ['agency_name', 'agency_code', 'insurer', 'licence_number',
    'plan']
DOCUMENT_TEXT = ['street', 'city', 'province', 'postal_code', 'phone',
    'licence_issuer', 'licence_issue_date', 'licence_expiry_date']
IMAGE_TYPES = {'image/jpeg', 'image/png', 'application/pdf'}
# the sizes of the agent's fields (the models keep the same)
MAX_LENGTH = {
    'agency_name': 200, 'agency_code': 30, 'insurer': 30,
    'licence_number': 50, 'plan': 30, 'licence_issuer': 100,
    'licence_issue_date': 10, 'licence_expiry_date': 10,
    'rules_accepted': 1, 'kind': 20, 'province': 30,
    }


def plans():
    return tryton.pool.get('marketplace.plan').search([])


@blueprint.route('/agents/signup', methods=['GET', 'POST'])
def agent_signup():
    """An agency's sign-up: the agency, its insurer, the licence number and
    the rules accepted; a visitor creates the account in the same form."""
    if auth.is_logged_in():
        return member_signup()
    return visitor_signup()


@transaction(restricted=True)
def member_signup():
    "A logged-in web user registers its agency."
    user = auth.current_user()
    if current_agent():
        return redirect(url_for('agent_marketplace.agency'))
    errors, values = {}, request.form
    if request.method == 'POST':
        data, errors = check_agency(request.form)
        if not errors:
            with without_check_access():
                register_agency(user, data)
            auth.refresh_roles(user)
            flash(_("Your agency is registered with a free trial. Send "
                    "your licence and identity document to be verified."),
                'success')
            return redirect(url_for('agent_marketplace.agency'))
    return render_signup(values, errors)


@transaction()
def visitor_signup():
    """A visitor signs up as an agent: the account (confirmed by email, as
    every account) and the agency in one form."""
    errors = {}
    if request.method == 'POST':
        if answer := refused_signup():
            return answer
        form = request.form.copy()
        mobile = check_mobile(form.get('phone'))
        form['phone'] = mobile or form.get('phone', '')
        data, errors = forms.check_signup(form)
        if form['phone'] and not mobile:
            errors['phone'] = _("Enter an Iranian mobile number, e.g. "
                "0912 123 4567.")
        agency, agency_errors = check_agency(request.form)
        errors.update(agency_errors)
        if not errors:
            signup = create_account(data, service=SERVICE)
            if signup:
                register_agency(signup.web_user, agency)
            return redirect(url_for('portal.signup_done'))
    return render_signup(request.form, errors, account=True)


def register_agency(user, data):
    "Register the web user's agency with its free trial and the rules."
    pool = tryton.pool
    Agent = pool.get('marketplace.agent')
    Subscription = pool.get('marketplace.subscription')
    agent = Agent(web_user=user, party=user.party,
        agency_name=data['agency_name'], agency_code=data['agency_code'],
        insurers=[data['insurer']], licence_number=data['licence_number'],
        phone=check_mobile(user.phone or ''))
    agent.save()
    Subscription.start_trial(agent)
    rules.accept(agent, current_language(), ip_address=request.remote_addr,
        user_agent=request.user_agent.string)
    return agent


def render_signup(values, errors, account=False):
    return render_template('agent_marketplace/signup.html', values=values,
        errors=errors, plans=plans(), account=account,
        captcha=forms.captcha_code() if account else None,
        **choices()), 400 if errors else 200


def check_agency(form):
    Insurer = tryton.pool.get('marketplace.insurer')
    data = forms.clean_text(form, AGENCY_TEXT)
    errors = forms.too_long(form, {}, MAX_LENGTH)
    forms.required(data, ['agency_name', 'agency_code', 'licence_number'],
        errors)
    data['agency_code'] = ascii_digits(data['agency_code'])
    data['licence_number'] = ascii_digits(data['licence_number'])
    insurers = Insurer.by_codes([data['insurer']])
    data['insurer'] = insurers[0] if insurers else None
    if not data['insurer']:
        errors['insurer'] = _("Choose the insurance company of your "
            "mandate.")
    if form.get('rules_accepted') != '1':
        errors['rules_accepted'] = _("Accept the rules and the payment "
            "terms to register the agency.")
    return data, errors


@blueprint.route('/market/agency')
@transaction(restricted=True)
def agency():
    agent = current_agent()
    if not agent:
        return redirect(url_for('agent_marketplace.agent_signup'))
    return render_agency(agent)


def render_agency(agent, status=200, errors=None, values=None):
    Subscription = tryton.pool.get('marketplace.subscription')
    return render_template('agent_marketplace/agency.html', agent=agent,
        errors=errors or {}, values=values or agency_values(agent),
        plans=[p for p in plans() if p.kind != 'trial'],
        subscriptions=Subscription.search([('agent', '=', agent.id)]),
        states=labels('marketplace.agent', 'state'),
        subscription_states=labels('marketplace.subscription', 'state'),
        **choices()), status


def agency_values(agent):
    return {
        'street': agent.street or '', 'city': agent.city or '',
        'province': agent.province.code if agent.province else '',
        'postal_code': agent.postal_code or '', 'phone': agent.phone or '',
        'licence_issuer': agent.licence_issuer or '',
        'licence_issue_date': str(agent.licence_issue_date or ''),
        'licence_expiry_date': str(agent.licence_expiry_date or ''),
        }


def parse_date(text):
    try:
        return dt.date.fromisoformat(ascii_digits(text))
    except ValueError:
        return None


@blueprint.route('/market/agency/documents', methods=['POST'])
@transaction(restricted=True)
def documents():
    """The agency's address and licence, with the licence photo and the
    identity document through the upload checks; sent for verification."""
    Province = tryton.pool.get('marketplace.province')
    agent = current_agent()
    if not agent:
        return redirect(url_for('agent_marketplace.agent_signup'))
    data = forms.clean_text(request.form, DOCUMENT_TEXT)
    errors = forms.too_long(request.form, {}, MAX_LENGTH)
    forms.required(data, DOCUMENT_TEXT, errors)
    values = {}
    if data['postal_code']:
        values['postal_code'] = check_postal_code(data['postal_code'])
        if not values['postal_code']:
            errors['postal_code'] = _("An Iranian postal code has ten "
                "digits.")
    if data['phone']:
        values['phone'] = check_mobile(data['phone'])
        if not values['phone']:
            errors['phone'] = _("Enter an Iranian mobile number, e.g. "
                "0912 123 4567.")
    values['province'] = Province.by_code(data['province'])
    if data['province'] and not values['province']:
        errors['province'] = _("Choose the province.")
    for name in ['licence_issue_date', 'licence_expiry_date']:
        values[name] = parse_date(data[name])
        if data[name] and not values[name]:
            errors[name] = _("Enter the date as YYYY-MM-DD.")
    files = {}
    for name in ['licence_photo', 'identity_document']:
        file = request.files.get(name)
        if file and file.filename:
            try:
                content = file.read()
                _type, safe = upload.check(file.filename, content,
                    IMAGE_TYPES)
                files[name] = (content, safe)
            except UserError as error:
                errors[name] = error.message
        elif not getattr(agent, f'{name}_id'):
            errors[name] = _("Attach the file.")
    if errors:
        return render_agency(agent, 400, errors, request.form)
    with without_check_access():
        agent.street, agent.city = data['street'], data['city']
        agent.licence_issuer = data['licence_issuer']
        for name, value in values.items():
            setattr(agent, name, value)
        for name, (content, safe) in files.items():
            setattr(agent, name, content)
            setattr(agent, f'{name}_name', safe)
        try:
            agent.save()
        except UserError as error:
            return render_agency(agent, 400, {'action': error.message},
                request.form)
        if agent.state in {'draft', 'rejected', 'suspended'}:
            agent.__class__.send_documents([agent])
    flash(_("Your documents are sent: the staff verify them and tell you "
            "by email."), 'success')
    return redirect(url_for('agent_marketplace.agency'))


@blueprint.route('/market/agency/plan', methods=['POST'])
@transaction(restricted=True)
def choose_plan():
    "The agent buys the next period of a plan: an invoice is issued."
    pool = tryton.pool
    Plan = pool.get('marketplace.plan')
    Subscription = pool.get('marketplace.subscription')
    agent = current_agent()
    if not agent:
        return redirect(url_for('agent_marketplace.agent_signup'))
    found = Plan.search([
            ('code', '=', (request.form.get('plan') or '')[:30]),
            ('kind', '!=', 'trial')], limit=1)
    if not found:
        return render_agency(agent, 400, {'plan': _("Choose a plan.")})
    try:
        with without_check_access():
            Subscription.subscribe(agent, found[0])
    except UserError as error:
        return render_agency(agent, 400, {'plan': error.message})
    flash(_("The invoice of your plan is issued and emailed: the period "
            "starts once the staff receive the payment."), 'success')
    return redirect(url_for('agent_marketplace.agency'))


@blueprint.route('/market/agency/ticket', methods=['POST'])
@transaction(restricted=True)
def staff_request():
    "An upgrade or support request: a ticket for the staff."
    agent = current_agent()
    if not agent:
        return redirect(url_for('agent_marketplace.agent_signup'))
    kind = request.form.get('kind')
    text = (request.form.get('description') or '').strip()
    errors = forms.too_long(request.form, {}, MAX_LENGTH)
    if kind not in {'upgrade', 'support'}:
        errors['kind'] = _("Choose what you ask for.")
    if not text:
        errors['description'] = _("This field is required.")
    if errors:
        return render_agency(agent, 400, errors)
    with without_check_access():
        ticket = open_ticket(agent, kind, text, current_language())
    flash(_("Your request is sent to the staff as ticket %(number)s.",
            number=ticket.number or ''), 'success')
    return redirect(url_for('agent_marketplace.agency'))
