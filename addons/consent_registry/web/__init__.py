# This file is part of the insurance intermediary platform.
"""The client's consents in the portal: "My consents", the re-consent
page, withdrawal, each PDF and the dossier."""
import datetime as dt

from flask import (
    Blueprint, abort, flash, redirect, render_template, request,
    session, url_for)

from trytond.model.exceptions import AccessError
from trytond.transaction import without_check_access
from trytond.modules.portal.web import auth, carry
from trytond.modules.portal.web.files import file_response
from trytond.modules.portal.web.extensions import (
    dashboard_section, menu_item, stylesheet, view_guard)
from trytond.modules.portal.web.i18n import N_, current_language
from trytond.modules.portal.web.i18n import gettext as _
from trytond.modules.portal.web.auth import transaction
from trytond.modules.portal.web.tryton import tryton

from ..dossier import dossier_file_name, dossier_pdf
from ..form import MOMENTS
from . import steps

blueprint = Blueprint(
    'consent_registry', __name__, url_prefix='/consents',
    template_folder='../templates',
    static_folder='../static', static_url_path='/static')

CHECKED = 'consents_checked'
REVIEW = '_consent_review'  # marks the forms answered in place of an action

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


@view_guard
def require_consents(user):
    """Ask a client with mandatory changed forms for them at the first
    request of a session, and before every quote or contract step (see
    ``steps``) also the mandatory forms the step needs and were never
    answered; changed optional forms are shown on the dashboard and in My
    consents. A page asked for is shown once the forms are answered; an
    action posted shows the forms in its place and runs once they are
    answered, with everything typed and uploaded kept."""
    endpoint = request.endpoint
    if not endpoint or steps.is_exempt(endpoint):
        return None
    guarded, moment = steps.step(endpoint, request.method,
        (request.view_args or {}).get('action'))
    if request.method == 'POST' and request.form.get(REVIEW):
        return answer_and_resume(user, moment)
    if session.get(CHECKED) and not guarded:
        return None
    session[CHECKED] = True
    items = to_review(consent_states(user, moment))
    if not any(s['blocking'] for s in items):
        return None
    if guarded or request.method == 'POST':
        flash(_("Before going on, please answer these forms."), 'error')
    if request.method in {'GET', 'HEAD'}:
        return redirect(url_for('consent_registry.review',
                next=auth.here(), moment=moment))
    return render_interstitial(items, {}, {})


def render_interstitial(items, values, errors):
    "Show the forms in place of the posted action, carrying the action."
    return render_review_page(items, values, errors,
        action=auth.here(),
        carried=carry.fields(exclude=[field_name(s) for s in items]),
        carried_files=carry.keep_files(),
        status=400 if errors else 200)


def answer_and_resume(user, moment):
    "Record the answers of the forms shown in place of the action."
    items = to_review(consent_states(user, moment))
    answers, errors = check_answers(items, request.form)
    if errors:
        return render_interstitial(items, request.form, errors)
    record_answers(user, answers)
    flash(_("Thank you: your answers are recorded and emailed to you."),
        'success')
    carry.resume(exclude=[field_name(s) for s in items])
    return None


@dashboard_section
def dashboard(user):
    states = consent_states(user, 'quote')
    # to review now: changed forms, and mandatory ones not given
    now = [s for s in states if s['changed'] or (
            s['form'].mandatory and s['refused'])]
    return {
        'template': 'consent_registry/_dashboard.html',
        'consent_changed': len(now),
        'consent_blocking': sum(s['form'].mandatory for s in now),
        # what the first quote request will ask, said beforehand to those
        # who came for the intermediary's quotes
        'before_quote': list(dict.fromkeys(
                s['form'].name for s in states if s['missing']))
        if auth.holds('intermediary') else [],
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
    return render_review_page(items, values, errors,
        next=auth.safe_next(request.args.get('next')), status=status)


def render_review_page(items, values, errors, status=200, **context):
    return render_template(
        'consent_registry/review.html', groups=review_groups(items),
        items=items, values=values, errors=errors, field_name=field_name,
        **context), status


GROUPS = [
    ('acknowledgement', N_("Information to read")),
    ('required', N_("Required consents")),
    ('optional', N_("Optional consents")),
    ]


def group_of(state):
    form = state['form']
    if form.kind == 'acknowledgement':
        return 'acknowledgement'
    return 'required' if form.mandatory else 'optional'


def review_groups(items):
    """Return the forms to answer by group, each form once with the parties
    it is answered for: the person answers for itself and its companies."""
    groups = []
    for code, label in GROUPS:
        versions = {}
        for state in items:
            if group_of(state) == code:
                versions.setdefault(state['version'], []).append(state)
        if versions:
            groups.append({'code': code, 'label': label, 'forms': [{
                            'form': states[0]['form'],
                            'version': version,
                            'states': states,
                            'name': field_name(states[0]),
                            'missing': all(s['missing'] for s in states),
                            'blocking': any(s['blocking'] for s in states),
                            } for version, states in versions.items()]})
    return groups


def field_name(state):
    return f"answer-{state['version'].id}"


def check_answers(items, form):
    """Return the (party, version, answer) to record and the errors by
    field: every form shown needs an answer; "answer all" of a group gives
    its positive answer to the forms of the group left unanswered."""
    answer_all = form.get('answer_all')
    answers, errors = [], {}
    for state in items:
        name = field_name(state)
        answer = form.get(name)
        if not answer and answer_all == group_of(state):
            answer = state['form'].answers()[0]
        if answer in state['form'].answers():
            answers.append((state['party'], state['version'], answer))
        else:
            errors[name] = _("Choose an answer for this form.")
    return answers, errors


def record_answers(user, answers):
    Record = tryton.pool.get('consent.record')
    Record.create([dict(evidence(user),
                party=party.id, version=version.id, answer=answer)
            for party, version, answer in answers])


@blueprint.route('/review', methods=['POST'])
@transaction(restricted=True)
def review_answer():
    user = auth.current_user()
    items = to_review(consent_states(user, review_moment()))
    answers, errors = check_answers(items, request.form)
    if errors:
        return render_review(user, request.form, errors, 400)
    record_answers(user, answers)
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


def evidence(user):
    "Return the values of a consent record that tell how it was given."
    return {
        'channel': 'portal', 'web_user': user.id,
        'ip_address': request.remote_addr,
        'user_agent': request.user_agent.string[:500],
        'language': current_language(),
        }


def record(user, party, version, answer):
    Record = tryton.pool.get('consent.record')
    return Record.record_answer(party, version, answer, **evidence(user))


@blueprint.route('/<id:record_id>.pdf')
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
    return pdf_response(data, dossier_file_name(party))


def pdf_response(data, name):
    return file_response(data, name, 'application/pdf', inline=True)
