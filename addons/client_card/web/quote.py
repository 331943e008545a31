# This file is part of the insurance intermediary platform.
"""Routes of the quote area: /portal/quotes, /portal/quotes/new and
/portal/quotes/<uuid>, where the client reviews the card and the consents,
confirms the card, answers the questionnaire page by page and confirms."""
from flask import (
    Blueprint, abort, flash, redirect, render_template, request, url_for)

from trytond.exceptions import UserError
from trytond.modules.consent_registry.web import steps
from trytond.modules.portal.web import auth
from trytond.modules.portal.web.auth import transaction
from trytond.modules.portal.web.extensions import (
    dashboard_section, menu_item)
from trytond.modules.portal.web.files import file_response
from trytond.modules.portal.web.i18n import N_, current_language
from trytond.modules.portal.web.i18n import gettext as _
from trytond.modules.portal.web.tryton import tryton
from trytond.transaction import Transaction

from .. import questionnaire_engine as engine
from ..answer_text import display
from .sections import LABELS as SECTION_LABELS

blueprint = Blueprint(
    'client_card_quote', __name__, url_prefix='/quotes',
    template_folder='../templates')

menu_item('client_card_quote.index', N_("My quotes"), sequence=25,
    role='intermediary')
# choosing the risk and each answer are quote steps: the pre-contractual
# information (Allegati 3, 4 and 4-ter) is asked before them
steps.guard('client_card_quote.new', moment='quote')
steps.guard('client_card_quote.*', {'POST'}, 'quote')

ERRORS = {
    'required': N_("This field is required."),
    'integer': N_("Write a whole number."),
    'amount': N_("Write an amount in euro, e.g. 250000 or 1.250,50."),
    'date': N_("Write a date as YYYY-MM-DD."),
    'choice': N_("Choose one of the answers."),
    'pattern': N_("The answer is not in the expected format."),
    'min_value': N_("At least %(limit)s."),
    'max_value': N_("At most %(limit)s."),
    'min_count': N_("Choose at least %(limit)s."),
    'max_count': N_("Choose at most %(limit)s."),
    'min_rows': N_("Add at least %(limit)s rows."),
    'max_rows': N_("At most %(limit)s rows."),
    'min_length': N_("At least %(limit)s characters."),
    'max_length': N_("At most %(limit)s characters."),
    'file': N_("The file was refused."),
    }
STATES = {
    'draft': N_("Draft"),
    'confirmed': N_("Sent"),
    'cancelled': N_("Cancelled"),
    }


def message(error):
    "Return the translated message of an engine error."
    if error.values.get('message'):
        return error.values['message']
    text = ERRORS[error.code]
    return _(text, **error.values)


def collection_of(uuid):
    "Return the visitor's collection of the uuid (record rules apply)."
    Collection = tryton.pool.get('quote.collection')
    collections = Collection.search([('uuid', '=', uuid[:40])]
        + Collection.portal_listed(), limit=1)
    if not collections:
        abort(404)
    return collections[0]


# The list

@blueprint.route('/')
@transaction(restricted=True)
def index():
    Collection = tryton.pool.get('quote.collection')
    RiskType = tryton.pool.get('quote.risk.type')
    collections = Collection.search(Collection.portal_listed(), limit=100)
    return render_template('client_card/quote_index.html',
        collections=collections, states=STATES,
        risks=RiskType.offered())


@dashboard_section(role='intermediary')
def dashboard(user):
    "The drafts to resume and the last requests, on the dashboard."
    Collection = tryton.pool.get('quote.collection')
    return {
        'template': 'client_card/quote_dashboard.html',
        'quote_collections': Collection.search(Collection.portal_listed()
            + [('state', '!=', 'cancelled')], limit=5),
        'quote_states': STATES,
        }


# A new collection

def intermediaries():
    "Return the parties a client can be in contact with for a quote."
    Collection = tryton.pool.get('quote.collection')
    return Collection.intermediaries()


@blueprint.route('/new')
@transaction(restricted=True)
def new():
    return render_new({}, {})


def render_new(values, errors):
    RiskType = tryton.pool.get('quote.risk.type')
    Questionnaire = tryton.pool.get('questionnaire')
    choices = intermediaries()
    values = dict(values)
    if len(choices) == 1 and not values.get('intermediary'):
        values['intermediary'] = str(choices[0].id)
    return render_template('client_card/quote_new.html',
        risks=RiskType.offered(), intermediaries=choices,
        available=bool(Questionnaire.demands_needs()),
        values=values, errors=errors), 400 if errors else 200


@blueprint.route('/new', methods=['POST'])
@transaction(restricted=True)
def create():
    pool = tryton.pool
    Collection = pool.get('quote.collection')
    RiskType = pool.get('quote.risk.type')
    Questionnaire = pool.get('questionnaire')
    user = auth.current_user()
    form = request.form
    errors = {}
    risk = RiskType.offered_code(form.get('risk_type'))
    if not risk or not Questionnaire.demands_needs():
        errors['risk_type'] = _("Choose the risk to insure.")
    choices = {str(p.id): p for p in intermediaries()}
    intermediary = choices.get(form.get('intermediary', ''))
    if not intermediary:
        errors['intermediary'] = _(
            "Choose the intermediary who will contact you.")
    if errors:
        return render_new(form, errors)
    with Transaction().set_context(card_channel='portal',
            card_reference=user.email):
        collection = Collection.start(user.party, risk, web_user=user,
            intermediary=intermediary, language=current_language())
    return redirect(url_for('client_card_quote.show', uuid=collection.uuid))


# One collection

@blueprint.route('/<uuid>')
@transaction(restricted=True)
def show(uuid):
    collection = collection_of(uuid)
    if collection.state != 'draft':
        return render_done(collection)
    if not collection.card_confirmed_at:
        return render_review(collection, {}, {})
    page = request.args.get('page', type=int)
    pages = collection.pages()
    if page is None:
        page = min(collection.page or 0, len(pages))
    page = max(0, min(page, len(pages)))
    if page == len(pages):
        return render_summary(collection, {})
    return render_page(collection, page, None, {})


@blueprint.route('/<uuid>', methods=['POST'])
@transaction(restricted=True)
def act(uuid):
    collection = collection_of(uuid)
    if collection.state != 'draft':
        return redirect(url_for('client_card_quote.show', uuid=uuid))
    action = request.form.get('action', '')
    if action == 'confirm_card':
        return confirm_card(collection)
    if not collection.card_confirmed_at:
        return render_review(collection, {}, {})
    if action == 'confirm':
        return confirm(collection)
    if action == 'cancel':
        collection.__class__.withdraw([collection])
        flash(_("The quote request is cancelled."), 'info')
        return redirect(url_for('client_card_quote.index'))
    return save_page(collection, action)


# Review of the card and the consents

def consent_rows(collection):
    "Return the consent states of the client, with their last records."
    Record = tryton.pool.get('consent.record')
    user = auth.current_user()
    return Record.states(user.consent_parties(), 'quote')


def render_review(collection, values, errors):
    return render_template('client_card/quote_review.html',
        collection=collection, card=card_view(collection),
        consents=consent_rows(collection), values=values,
        errors=errors), 400 if errors else 200


def card_view(collection):
    """Return the card's sections as (title, [(label, value)]) pairs, in
    the visitor's language."""
    Party = tryton.pool.get('party.party')
    card = dict(collection.card())
    card.pop('card', None)
    strings = {name: field['string'] for name, field in Party.fields_get(
            [n for fields in card.values() for n in fields]).items()}
    return [(_(SECTION_LABELS.get(section, section)), [
                (strings.get(name, name), card_text(value))
                for name, value in fields.items()
                if value not in (None, '', [], {})])
        for section, fields in card.items()]


def card_text(value):
    "Return a card value as text (rows of a list one after the other)."
    if isinstance(value, list):
        return '; '.join(card_text(v) for v in value)
    if isinstance(value, dict):
        return ', '.join(card_text(v) for v in value.values()
            if v not in (None, ''))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def confirm_card(collection):
    "Record the client's confirmation of the card, as evidence."
    Party = tryton.pool.get('party.party')
    user = auth.current_user()
    if request.form.get('confirm_card') != '1':
        return render_review(collection, request.form, {
                'confirm_card': _(
                    "Confirm that the data of your card are right.")})
    try:
        with Transaction().set_context(card_channel='portal',
                card_reference=user.email):
            Party.confirm_card([collection.party], web_user=user)
            Party.activate_card([collection.party])
    except UserError as error:
        Transaction().rollback()
        return render_review(collection_of(collection.uuid), request.form,
            {'confirm_card': error.message})
    collection.confirm_card_review()
    return redirect(url_for('client_card_quote.show', uuid=collection.uuid,
            page=0))


# The questionnaire's pages

def page_values(collection):
    "Return the answers as the form shows them, keyed by field name."
    values = {}
    for code, value in collection.get_answers().items():
        values.update(form_values(code, value))
    return values


def form_values(code, value):
    if isinstance(value, list) and value and isinstance(value[0], dict):
        result = {}
        for index, row in enumerate(value):
            for name, cell in row.items():
                result.update(form_values(f'{code}-{index}-{name}', cell))
        return result
    if isinstance(value, bool):
        return {code: 'true' if value else 'false'}
    if isinstance(value, dict):
        return {code: value.get('name', '')}
    if isinstance(value, list):
        return {code: value}
    return {code: '' if value is None else str(value)}


def group_rows(question, values):
    "Return how many rows of a group the form shows."
    prefix = question['code'] + '-'
    indexes = {int(name[len(prefix):].split('-', 1)[0])
        for name in values if name.startswith(prefix)
        and name[len(prefix):].split('-', 1)[0].isdigit()}
    return max(indexes) + 1 if indexes else 0


def page_context(collection, section, values=None, rows=None):
    """Return what a page of the questionnaire shows: its visible
    questions, their states, the values (the answers' when None) and the
    rows of each repeating group (rows: those a row action changed)."""
    definition = collection.definition()
    if values is None:
        values = page_values(collection)
    answers = collection.get_answers()
    questions = engine.visible_questions(definition, section, answers)
    rows = dict(rows or {})
    for question in questions:
        if question['type'] == 'group':
            rows.setdefault(question['code'], max(
                    group_rows(question, values),
                    1 if question.get('required') else 0))
    _, states = engine.evaluate(definition, answers)
    return {'section': section, 'questions': questions, 'states': states,
        'values': values, 'rows': rows}


def render_page(collection, page, values, errors, rows=None):
    pages = collection.pages()
    return render_template('client_card/quote_page.html',
        collection=collection, page=page, pages=pages, errors=errors,
        text=lambda texts: engine.text(texts, current_language()),
        **page_context(collection, pages[page], values, rows),
        ), 400 if errors else 200


def parse_page(collection, section):
    """Return the answers typed on the page, the values to show again and
    the errors of what could not be read."""
    form = request.form
    answers, errors = {}, {}
    for question in section['questions']:
        code = question['code']
        try:
            if question['type'] == 'group':
                answers[code] = parse_rows(question, form, errors)
            elif question['type'] == 'multiple':
                answers[code] = engine.parse(question, form.getlist(code))
            elif question['type'] == 'file':
                upload = parse_file(collection, question)
                if upload is not None:
                    answers[code] = upload
            elif question['type'] != 'card' and code in form:
                answers[code] = engine.parse(question, form[code][:20000])
        except engine.AnswerError as error:
            errors[code] = error
    return answers, errors


def parse_rows(group, form, errors):
    rows = []
    for index in range(group_rows(group, form)):
        row = {}
        for child in group.get('questions', []):
            name = f"{group['code']}-{index}-{child['code']}"
            try:
                value = engine.parse(child, form.get(name, '')[:20000])
            except engine.AnswerError as error:
                errors[name] = error
                continue
            if value is not None:
                row[child['code']] = value
        if row or any(form.get(f"{group['code']}-{index}-{c['code']}")
                for c in group.get('questions', [])):
            rows.append(row)
    return rows


def parse_file(collection, question):
    upload = request.files.get(question['code'])
    if not upload or not upload.filename:
        return None
    try:
        return collection.attach(question['code'], upload.filename,
            upload.read())
    except UserError as error:
        raise engine.AnswerError('file', message=error.message)


def save_page(collection, action):
    pages = collection.pages()
    page = request.form.get('page', type=int)
    if page is None or not 0 <= page < len(pages):
        abort(400)
    section = pages[page]
    changed = row_change(section, action)
    if changed:
        return render_page(collection, page, changed[0], {}, changed[1])
    answers, errors = parse_page(collection, section)
    checked = collection.save_answers(answers, page=page)
    if action == 'back':
        return redirect(url_for('client_card_quote.show',
                uuid=collection.uuid, page=max(page - 1, 0)))
    errors.update({k: v for k, v in checked.items() if k not in errors})
    if action == 'later':
        flash(_("Your answers are saved: you can go on later from My "
                "quotes."), 'info')
        return redirect(url_for('client_card_quote.index'))
    if errors:
        return render_page(collection, page, typed(),
            {k: message(v) for k, v in errors.items()})
    # resumed later at the page after the last one answered
    collection.page = page + 1
    collection.save()
    return redirect(url_for('client_card_quote.show', uuid=collection.uuid,
            page=page + 1))


def typed():
    "Return what the form carried: lists for the multiple choices."
    form = request.form
    return {k: form.getlist(k) if len(form.getlist(k)) > 1 else form[k]
        for k in form if k not in {'csrf_token', 'action', 'page'}}


def row_change(section, action):
    """Return the values typed and the rows of each repeating group once a
    row is added (``add_row:<group>``) or removed
    (``remove_row:<group>-<index>``), or None for another action."""
    if not action.startswith(('add_row:', 'remove_row:')):
        return None
    values = typed()
    code = action.split(':', 1)[1]
    groups = {q['code']: q for q in section['questions']
        if q['type'] == 'group'}
    rows = {c: group_rows(g, values) for c, g in groups.items()}
    if action.startswith('add_row:') and code in groups:
        rows[code] += 1
    elif action.startswith('remove_row:'):
        group, _, index = code.rpartition('-')
        if group in groups and index.isdigit():
            values = remove_row(values, group, int(index), rows[group])
            rows[group] -= 1
    return values, rows


def remove_row(values, group, index, count):
    prefix = f'{group}-'
    result = {k: v for k, v in values.items() if not k.startswith(prefix)}
    for row in range(count):
        if row == index:
            continue
        target = row if row < index else row - 1
        for name, value in values.items():
            if name.startswith(f'{prefix}{row}-'):
                result[f'{prefix}{target}-' + name[len(
                            f'{prefix}{row}-'):]] = value
    return result


# Summary and confirmation

def summary_sections(collection, language):
    definition = collection.definition()
    answers = collection.get_answers()
    _, states = engine.evaluate(definition, answers)
    result = []
    for index, section in enumerate(engine.sections(definition)):
        rows = [(engine.text(q['label'], language),
                display(q, answers.get(q['code']), language))
            for q in section['questions'] if states[q['code']]['visible']]
        result.append((index, engine.text(section['title'], language), rows))
    return result


def render_summary(collection, errors):
    language = current_language()
    problems = engine.check(collection.definition(),
        collection.get_answers())
    return render_template('client_card/quote_summary.html',
        collection=collection, sections=summary_sections(
            collection, language), problems=problems,
        pages=collection.pages(), errors=errors), 400 if errors else 200


def confirm(collection):
    Collection = tryton.pool.get('quote.collection')
    if engine.check(collection.definition(), collection.get_answers()):
        return render_summary(collection, {'action': _(
                    "Some answers are missing or wrong: correct them "
                    "first.")})
    collection.language = current_language()
    collection.save()
    Collection.send([collection])
    flash(_("Your quote request is sent: you receive the answers by "
            "email."), 'success')
    return redirect(url_for('client_card_quote.show', uuid=collection.uuid))


def render_done(collection):
    return render_template('client_card/quote_done.html',
        collection=collection, states=STATES,
        sections=summary_sections(collection, current_language()),
        ticket=collection.ticket_link())


@blueprint.route('/<uuid>/answers.pdf')
@transaction(restricted=True)
def answers_pdf(uuid):
    collection = collection_of(uuid)
    if not collection.pdf_id:
        abort(404)
    return file_response(collection.pdf, collection.pdf_filename(),
        'application/pdf', inline=True)
