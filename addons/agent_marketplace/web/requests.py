# This file is part of the insurance intermediary platform.
"""Routes of the requests: /portal/market/requests/new, the person's list,
/portal/market/requests/<uuid> with its actions, and the agent's inbox at
/portal/market/inbox."""
from flask import abort, flash, redirect, render_template, request, url_for

from trytond.exceptions import UserError
from trytond.modules.portal.formats import ascii_digits
from trytond.modules.portal.web import auth, forms
from trytond.modules.portal.web.auth import transaction
from trytond.modules.portal.web.i18n import gettext as _
from trytond.modules.portal.web.tryton import tryton

from .blueprint import blueprint
from .common import choices, current_agent, labels

REQUEST_TEXT = ['line', 'province', 'city', 'description', 'vehicle',
    'vehicle_year']
REPORT_REASONS = ['spam', 'no_answer', 'behaviour', 'other']
# the sizes of the request's fields (the models keep the same)
MAX_LENGTH = {
    'line': 30, 'province': 30, 'city': 100, 'vehicle': 100,
    'vehicle_year': 4, 'message': 5000, 'reason': 2000, 'insurers': 30,
    'offer': 20,
    }


@blueprint.route('/market/requests')
@transaction(restricted=True)
def requests():
    Request = tryton.pool.get('marketplace.request')
    return render_template('agent_marketplace/requests.html',
        requests=Request.search([('role', '=', 'owner')], limit=100),
        states=labels('marketplace.request', 'state'))


@blueprint.route('/market/requests/new')
@transaction(restricted=True)
def new():
    return render_new({}, {})


def render_new(values, errors):
    user = auth.current_user()
    return render_template('agent_marketplace/new.html', values=values,
        errors=errors, chosen=values.getlist('insurers')
        if hasattr(values, 'getlist') else [],
        phone_verified=user.phone_verified, **choices()), \
        400 if errors else 200


@blueprint.route('/market/requests/new', methods=['POST'])
@transaction(restricted=True)
def create():
    Request = tryton.pool.get('marketplace.request')
    user = auth.current_user()
    data, errors = check_request(request.form)
    if not user.phone_verified:
        errors['phone'] = _("Verify your mobile number first: we send "
            "you a code by SMS.")
    if errors:
        return render_new(request.form, errors)
    try:
        posted = Request.post(user, data['line'], data['province'],
            data['insurers'], data['description'], city=data['city'],
            vehicle=data['vehicle'], vehicle_year=data['vehicle_year'])
    except UserError as error:
        return render_new(request.form, {'description': error.message})
    flash(_("Your request is posted and sent to the agents of the "
            "insurers you chose."), 'success')
    return redirect(url_for('agent_marketplace.show', uuid=posted.uuid))


def check_request(form):
    "Return the request's values and the errors by field."
    pool = tryton.pool
    Line = pool.get('marketplace.line')
    Province = pool.get('marketplace.province')
    Insurer = pool.get('marketplace.insurer')
    data = forms.clean_text(form, REQUEST_TEXT)
    errors = forms.too_long(form, {}, MAX_LENGTH)
    data['line'] = Line.by_code(data['line'])
    if not data['line']:
        errors['line'] = _("Choose the insurance line.")
    data['province'] = Province.by_code(data['province'])
    if not data['province']:
        errors['province'] = _("Choose the province.")
    codes = [c[:30] for c in form.getlist('insurers')][:20]
    data['insurers'] = Insurer.by_codes(codes) if codes else []
    if not data['insurers'] or len(data['insurers']) != len(set(codes)):
        errors['insurers'] = _("Choose one or more insurance companies.")
    if not data['description']:
        errors['description'] = _("Describe what you need insured.")
    year = ascii_digits(data['vehicle_year'])
    data['vehicle_year'] = None
    if year:
        if not year.isdigit() or not 1300 <= int(year) <= 2100:
            errors['vehicle_year'] = _("Enter the year with four digits.")
        else:
            data['vehicle_year'] = int(year)
    return data, errors


def find_request(uuid):
    "Return the request the visitor may read, or answer 404."
    Request = tryton.pool.get('marketplace.request')
    found = Request.search([('uuid', '=', uuid[:64])], limit=1)
    if not found:
        abort(404)
    return found[0]


def offers_by_insurer(record):
    "Return [(insurer, offers)] of the request, the chosen insurers first."
    Offer = tryton.pool.get('marketplace.offer')
    offers = Offer.search([('request', '=', record.id)])
    return [(insurer, [o for o in offers if o.insurer == insurer])
        for insurer in record.insurers]


@blueprint.route('/market/requests/<uuid>')
@transaction(restricted=True)
def show(uuid):
    return render_request(find_request(uuid))


def render_request(record, status=200, errors=None, values=None):
    Offer = tryton.pool.get('marketplace.offer')
    context = {
        'record': record, 'errors': errors or {}, 'values': values or {},
        'states': labels('marketplace.request', 'state'),
        'offer_states': labels('marketplace.offer', 'state'),
        'reasons': [(r, labels('marketplace.report', 'reason')[r])
            for r in REPORT_REASONS],
        }
    if record.role == 'owner':
        template = 'agent_marketplace/request.html'
        context['groups'] = offers_by_insurer(record)
    else:
        template = 'agent_marketplace/request_agent.html'
        agent = current_agent()
        mine = [o for o in Offer.search([('request', '=', record.id)])
            if o.mine]
        context.update(agent=agent, offer=mine[0] if mine else None)
    return render_template(template, **context), status


def owner_action(uuid):
    record = find_request(uuid)
    if record.role != 'owner':
        abort(403)
    return record


def act(record, action, success):
    "Run the action on the request; answer its page with the outcome."
    try:
        action()
    except UserError as error:
        return render_request(record, 400, errors={'action': error.message})
    flash(success, 'success')
    return redirect(url_for('agent_marketplace.show', uuid=record.uuid))


def chosen_offer(record):
    Offer = tryton.pool.get('marketplace.offer')
    offer_id = ascii_digits(request.form.get('offer', ''))
    found = Offer.search([
            ('request', '=', record.id),
            ('id', '=', int(offer_id) if offer_id.isdigit() else -1),
            ], limit=1) if offer_id.isdigit() and len(offer_id) < 10 else []
    if not found:
        abort(404)
    return found[0]


@blueprint.route('/market/requests/<uuid>/accept', methods=['POST'])
@transaction(restricted=True)
def accept(uuid):
    record = owner_action(uuid)
    offer = chosen_offer(record)
    return act(record, lambda: record.accept(offer),
        _("You accepted the offer: the agency's details are shown below."))


@blueprint.route('/market/requests/<uuid>/confirm', methods=['POST'])
@transaction(restricted=True)
def confirm(uuid):
    record = owner_action(uuid)
    return act(record, record.confirm,
        _("You go on with this agency: the other offers are closed."))


@blueprint.route('/market/requests/<uuid>/end', methods=['POST'])
@transaction(restricted=True)
def end(uuid):
    record = owner_action(uuid)
    reason = (request.form.get('reason') or '').strip()
    if not reason or len(reason) > MAX_LENGTH['reason']:
        return render_request(record, 400, errors={
                'reason': _("Write why the cooperation ended.")
                if not reason else _("At most %(count)s characters.",
                    count=MAX_LENGTH['reason'])},
            values=request.form)
    return act(record, lambda: record.end(reason),
        _("The cooperation is ended. You can post the request again."))


@blueprint.route('/market/requests/<uuid>/cancel', methods=['POST'])
@transaction(restricted=True)
def cancel(uuid):
    record = owner_action(uuid)
    return act(record, record.cancel, _("Your request is withdrawn."))


@blueprint.route('/market/requests/<uuid>/again', methods=['POST'])
@transaction(restricted=True)
def again(uuid):
    record = owner_action(uuid)
    try:
        posted = record.post_again()
    except UserError as error:
        return render_request(record, 400, errors={'action': error.message})
    flash(_("Your request is posted again, without the agency you ended "
            "the cooperation with."), 'success')
    return redirect(url_for('agent_marketplace.show', uuid=posted.uuid))


@blueprint.route('/market/requests/<uuid>/report', methods=['POST'])
@transaction(restricted=True)
def report(uuid):
    Report = tryton.pool.get('marketplace.report')
    record = owner_action(uuid)
    offer = chosen_offer(record)
    reason = request.form.get('reason_code', '')
    if reason not in REPORT_REASONS:
        return render_request(record, 400, errors={
                'reason_code': _("Choose the reason of the report.")})
    Report.create([{
                'offer': offer.id, 'web_user': auth.current_user().id,
                'reason': reason,
                'note': (request.form.get('note') or '')[:2000],
                }])
    flash(_("Thank you: the staff will review your report."), 'success')
    return redirect(url_for('agent_marketplace.show', uuid=record.uuid))


@blueprint.route('/market/requests/<uuid>/declare', methods=['POST'])
@transaction(restricted=True)
def declare(uuid):
    Offer = tryton.pool.get('marketplace.offer')
    record = find_request(uuid)
    agent = current_agent()
    if record.role != 'agent' or not agent:
        abort(403)
    message = (request.form.get('message') or '').strip()
    errors = forms.too_long(request.form, {}, MAX_LENGTH)
    if not message:
        errors['message'] = _("Write a message to the person.")
    if errors:
        return render_request(record, 400, errors, request.form)
    try:
        Offer.declare(agent, record, message)
    except UserError as error:
        return render_request(record, 409, {'message': error.message},
            request.form)
    flash(_("Your readiness is sent: the person sees your message."),
        'success')
    return redirect(url_for('agent_marketplace.show', uuid=record.uuid))


@blueprint.route('/market/inbox')
@transaction(restricted=True)
def inbox():
    Dispatch = tryton.pool.get('marketplace.dispatch')
    agent = current_agent()
    if not agent:
        return render_template('agent_marketplace/inbox.html', agent=None)
    count = Dispatch.search_count([])
    can_answer = agent.can_answer
    # the rows as values, read in one go with the fields the list shows
    dispatches = Dispatch.search_read([], limit=50, fields_names=[
            'insurer.name', 'request.uuid', 'request.create_date',
            'request.line.name', 'request.province.name', 'request.city',
            'request.state']) if can_answer else []
    return render_template('agent_marketplace/inbox.html', agent=agent,
        can_answer=can_answer, count=count, dispatches=dispatches,
        states=labels('marketplace.request', 'state'),
        agent_states=labels('marketplace.agent', 'state'))
