# This file is part of the insurance intermediary platform.
"""The client's consents in the portal: "My consents", the re-consent
page, withdrawal, each PDF and the dossier."""
import datetime as dt

from flask import (
    Blueprint, Response, abort, flash, g, redirect, render_template, request,
    session, url_for)

from trytond.model.exceptions import AccessError
from trytond.transaction import without_check_access
from trytond.modules.portal.web import auth
from trytond.modules.portal.web.extensions import (
    dashboard_section, menu_item, stylesheet)
from trytond.modules.portal.web.i18n import N_, current_language
from trytond.modules.portal.web.i18n import gettext as _
from trytond.modules.portal.web.auth import transaction
from trytond.modules.portal.web.tryton import tryton

from ..form import MOMENTS
from . import steps

blueprint = Blueprint(
    'consent_registry', __name__, url_prefix='/consents',
    template_folder='../templates',
    static_folder='../static', static_url_path='/static')

CHECKED = 'consents_checked'

menu_item('consent_registry.index', N_("My consents"), sequence=30)
stylesheet('consent_registry.static', 'consent.css')


def consent_states(user, moment=None):
    Record = tryton.pool.get('consent.record')
    return Record.states(user.consent_parties(), moment)


def to_review(states):
    "Return the states the client must see: changed, missing or blocking."
    return [s for s in states
        if s['changed'] or s['missing'] or s['blocking']]


def review_moment():
    "Return the moment of the step the review was asked for, if any."
    moment = request.args.get('moment')
    return moment if moment in MOMENTS else None


@tryton.transaction(readonly=True)
def blocking_count(moment=None):
    """Return the number of mandatory forms the logged-in client must give
    before a step at the moment."""
    try:
        user = auth.current_user()
        states = consent_states(user, moment) if user else []
    finally:
        # The views load the user again in their own transaction.
        g.pop('web_user', None)
    return sum(s['blocking'] for s in states)


@blueprint.before_app_request
def require_consents():
    """Send a client with mandatory changed forms to the consent review at
    the first request of a session, and before every quote or contract
    step (see ``steps``) also with the mandatory forms the step needs and
    were never answered; changed optional forms are shown on the
    dashboard and in My consents."""
    endpoint = request.endpoint
    if not endpoint or not auth.is_logged_in() or steps.is_exempt(endpoint):
        return None
    guarded, moment = steps.step(endpoint, request.method,
        (request.view_args or {}).get('action'))
    if session.get(CHECKED) and not guarded:
        return None
    blocking = blocking_count(moment)
    session[CHECKED] = True
    if not blocking:
        return None
    if guarded:
        flash(_("Before going on, please answer these forms."), 'error')
    target = auth.here() if request.method == 'GET' else request.referrer
    return redirect(url_for('consent_registry.review',
            next=auth.safe_next(target), moment=moment))


@dashboard_section
def dashboard(user):
    states = consent_states(user)
    return {
        'template': 'consent_registry/_dashboard.html',
        'consent_changed': len(to_review(states)),
        'consent_blocking': sum(s['blocking'] for s in states),
        }


@blueprint.route('/')
@transaction(restricted=True)
def index():
    return render_index(auth.current_user(), {}, {})


def render_index(user, values, errors, status=200):
    Record = tryton.pool.get('consent.record')
    parties = [p for p, _ in user.consent_parties()]
    return render_template(
        'consent_registry/index.html', states=consent_states(user),
        parties=parties, multiple=len(parties) > 1,
        allowed_answers=allowed_answers, values=values, errors=errors,
        records=Record.search([('party', 'in', [p.id for p in parties])]),
        ), status


@blueprint.route('/review')
@transaction(restricted=True)
def review():
    return render_review(auth.current_user(), {}, {})


def render_review(user, values, errors, status=200):
    items = to_review(consent_states(user, review_moment()))
    return render_template(
        'consent_registry/review.html', items=items, values=values,
        errors=errors, next=auth.safe_next(request.args.get('next'))), status


def field_name(state):
    return f"answer-{state['party'].id}-{state['version'].id}"


@blueprint.route('/review', methods=['POST'])
@transaction(restricted=True)
def review_answer():
    user = auth.current_user()
    items = to_review(consent_states(user, review_moment()))
    answers, errors = {}, {}
    for state in items:
        name = field_name(state)
        answer = request.form.get(name)
        if answer not in state['form'].answers():
            errors[name] = _("Choose an answer for this form.")
        answers[name] = answer
    if errors:
        return render_review(user, request.form, errors, 400)
    for state in items:
        record(user, state['party'], state['version'],
            answers[field_name(state)])
    flash(_("Thank you: your answers are recorded and emailed to you."),
        'success')
    return redirect(auth.safe_next(request.args.get('next')))


@blueprint.route('/answer', methods=['POST'])
@transaction(restricted=True)
def answer():
    "Give, refuse, acknowledge or withdraw one form from My consents."
    user = auth.current_user()
    party_id = request.form.get('party', type=int)
    version_id = request.form.get('version', type=int)
    answer = request.form.get('answer')
    for state in consent_states(user):
        if (state['party'].id, state['version'].id) != (party_id, version_id):
            continue
        if answer not in allowed_answers(state):
            break
        record(user, state['party'], state['version'], answer)
        flash(_("Your answer is recorded and emailed to you."), 'success')
        return redirect(url_for('consent_registry.index'))
    abort(400)


def allowed_answers(state):
    "Return the answers My consents offers for a form's state."
    form, record = state['form'], state['record']
    last = record.answer if record and not state['changed'] else None
    if form.kind == 'acknowledgement':
        return [] if last == 'acknowledged' else ['acknowledged']
    if last == 'given':
        return [] if form.mandatory else ['withdrawn']
    return ['given'] if form.mandatory else ['given', 'refused']


def record(user, party, version, answer):
    Record = tryton.pool.get('consent.record')
    return Record.record_answer(
        party, version, answer, channel='portal', web_user=user.id,
        ip_address=request.remote_addr,
        user_agent=request.user_agent.string[:500],
        language=current_language())


@blueprint.route('/<int:record_id>.pdf')
@transaction(restricted=True)
def record_pdf(record_id):
    Record = tryton.pool.get('consent.record')
    try:
        record, = Record.search([('id', '=', record_id)])
        data = record.pdf
    except (ValueError, AccessError):
        abort(404)
    if data is None:
        abort(404)
    return pdf_response(data, record.pdf_name)


@blueprint.route('/dossier.pdf')
@transaction(restricted=True)
def dossier():
    from ..dossier import dossier_pdf
    user = auth.current_user()
    parties = {p.id: p for p, _ in user.consent_parties()}
    party = parties.get(request.args.get('party', type=int), user.party)
    since = None
    if request.args.get('since'):
        try:
            since = dt.date.fromisoformat(request.args['since'])
        except ValueError:
            return render_index(user, request.args, {'since': _(
                        "Enter a date as year-month-day, e.g. 2026-01-31.")},
                400)
    # The party is one the user acts for: printing its card and checking
    # its whole chain is system work beyond the client's record rules.
    with without_check_access():
        data = dossier_pdf(party, since)
    return pdf_response(data, f'dossier-{party.id}.pdf')


def pdf_response(data, name):
    response = Response(data, mimetype='application/pdf')
    response.headers['Content-Disposition'] = f'inline; filename="{name}"'
    return response
