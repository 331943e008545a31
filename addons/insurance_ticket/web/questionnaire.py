# This file is part of the insurance intermediary platform.
"""The ticket's questionnaire in the ticket's page: the pages of the quote
area's engine answered one by one, each saved as a draft with an error
next to each wrong answer; the broker corrects what was read from the old
policy, the client answers and confirms, and the answers come back into
the thread as their PDF and the broker's spreadsheet."""
from flask import abort, flash, redirect, request, url_for

from trytond.i18n import gettext
from trytond.modules.client_card import questionnaire_engine as engine
from trytond.modules.client_card.web import quote as quote_pages
from trytond.modules.portal.web.i18n import current_language
from trytond.modules.portal.web.i18n import gettext as _
from trytond.modules.portal.web.tryton import tryton
from trytond.transaction import Transaction

ACTION = 'answer_questionnaire'


def answering(ticket, user, actions=None, roles=None):
    """Return the draft of the ticket's questionnaire and the visitor's
    role in it (the client answers, the broker corrects), or None; actions
    and roles: the visitor's on the ticket, when known."""
    collection = ticket.questionnaire
    if not collection or collection.state != 'draft':
        return None
    if actions is None:
        actions = ticket.portal_actions(user)
    if 'return_questionnaire' in actions:
        return collection, 'client'
    if roles is None:
        roles = ticket.portal_roles(user)
    if ('broker' in roles
            and ticket.state == 'questionnaire_sent'):
        return collection, 'broker'
    return None


def form(ticket, user, page=None, values=None, errors=None, rows=None,
        actions=None, roles=None):
    """Return what the ticket's page shows of the questionnaire, or None
    (rows: those of the repeating groups a row action changed; actions
    and roles: the visitor's on the ticket, when known)."""
    found = answering(ticket, user, actions, roles)
    if not found:
        return None
    collection, role = found
    pages = collection.pages()
    last = len(pages) if role == 'client' else len(pages) - 1
    if page is None:
        page = request.args.get('page', type=int)
    if page is None:
        page = collection.page or 0
    page = max(0, min(page, last))
    language = current_language()
    result = {
        'collection': collection, 'role': role, 'page': page,
        'pages': pages, 'errors': errors or {},
        'text': lambda texts: engine.text(texts, language),
        }
    if page == len(pages):
        result.update(summary=quote_pages.summary_sections(
                collection, language),
            problems=engine.check(
                collection.definition(), collection.get_answers()))
        return result
    result.update(quote_pages.page_context(
            collection, pages[page], values, rows),
        read=collection.read_from())
    return result


def redirect_to(uuid, page=None):
    return redirect(url_for('insurance_ticket.show', uuid=uuid, page=page)
        + '#answer-questionnaire')


def answer(ticket, user, render_ticket):
    """Save a page of the ticket's questionnaire, or confirm the whole;
    render_ticket shows the ticket's page again with the errors."""
    uuid = ticket.uuid
    found = answering(ticket, user)
    if not found:
        abort(403)
    collection, role = found
    action = request.form.get('action', 'next')
    if action == 'confirm':
        return confirm(ticket, collection, role, user, render_ticket)
    pages = collection.pages()
    page = request.form.get('page', type=int)
    if page is None or not 0 <= page < len(pages):
        abort(400)
    changed = quote_pages.row_change(pages[page], action)
    if changed:
        values, rows = changed
        return render_ticket(ticket, values, {'action': ACTION}, 200,
            page=page, rows=rows)
    answers, errors = quote_pages.parse_page(collection, pages[page])
    with Transaction().set_context(language=collection.language):
        reference = gettext(f'insurance_ticket.msg_answered_by_{role}',
            number=ticket.number)
    with Transaction().set_context(card_reference=reference):
        checked = collection.save_answers(answers, page=page)
    if action == 'back':
        return redirect_to(uuid, max(page - 1, 0))
    errors.update({k: v for k, v in checked.items() if k not in errors})
    if action == 'later' or (not errors and role == 'broker'
            and page == len(pages) - 1):
        flash(_("The answers are saved: the questionnaire goes on from "
                "here."), 'info')
        return redirect_to(uuid, page)
    if errors:
        return render_ticket(ticket, quote_pages.typed(), dict(
                {k: quote_pages.message(v) for k, v in errors.items()},
                action=ACTION), 400, page=page)
    collection.page = page + 1
    collection.save()
    return redirect_to(uuid, page + 1)


def confirm(ticket, collection, role, user, render_ticket):
    "The client confirms the answers: they come back into the thread."
    pool = tryton.pool
    Ticket = pool.get('insurance.ticket')
    Message = pool.get('insurance.ticket.message')
    if role != 'client':
        abort(403)
    if engine.check(collection.definition(), collection.get_answers()):
        return render_ticket(ticket, {}, {'action': ACTION,
                'questionnaire': _("Some answers are missing or wrong: "
                    "correct them first.")}, 400,
            page=len(collection.pages()))
    collection.web_user = user
    collection.language = current_language()
    collection.save()
    Ticket.answer_questionnaire([ticket], Message.web_author(user),
        request.form.get('body', '').strip()[:20000])
    flash(_("Questionnaire returned."), 'info')
    return redirect(url_for('insurance_ticket.show', uuid=ticket.uuid))
