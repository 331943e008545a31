# This file is part of the insurance intermediary platform.
"""What the marketplace tells people and agents: emails through the outbox
and SMS through the gateway, in each recipient's language (Persian first)."""
from trytond.modules.portal import mail
from trytond.modules.portal.i18n import N_, gettext
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

SMS_TEXTS = {
    'new': N_("A new insurance request (%(line)s, %(province)s) is waiting "
        "in your marketplace inbox."),
    'reminder': N_("A request (%(line)s, %(province)s) still waits for an "
        "answer in your marketplace inbox."),
    'renewal': N_("Your marketplace subscription ends on %(date)s: renew it "
        "to keep receiving requests."),
    'expired': N_("Your marketplace subscription has ended: you receive no "
        "new requests until you renew it."),
    'accepted': N_("Your offer was accepted: the client's contact is on the "
        "request page."),
    }


def sms(number, event, language, **values):
    "Send the event's SMS to the number, in the language."
    if number:
        Pool().get('portal.sms').send(
            number, gettext(SMS_TEXTS[event], language, **values))


def agent(agent, event, **values):
    "Tell the agent about its account: verification, plan and licence."
    from trytond.modules.portal import formats
    with without_check_access():
        agent = agent.__class__(agent.id)
        language = agent.language
        mail.send(agent.web_user.email, 'agent_marketplace/email/agent.html',
            language, resource=agent, agent=agent, event=event,
            link=mail.portal_url('/market/inbox'), **values)
        subscription = values.get('subscription')
        if event in {'renewal', 'expired'}:
            sms(agent.phone or agent.web_user.phone, event, language,
                date=formats.format_date(subscription.end_date, language))


def dispatched(dispatch, event):
    "Tell the agent a request waits in the inbox (new or reminder)."
    with without_check_access():
        dispatch = dispatch.__class__(dispatch.id)
        agent, request = dispatch.agent, dispatch.request
        language = agent.language
        with Transaction().set_context(language=language):
            line = request.line.__class__(request.line.id).name
            province = request.province.__class__(request.province.id).name
        mail.send(agent.web_user.email,
            'agent_marketplace/email/dispatch.html', language,
            resource=request, request=request, event=event, line=line,
            province=province,
            link=mail.portal_url(f'/market/requests/{request.uuid}'))
        sms(agent.phone or agent.web_user.phone, event, language,
            line=line, province=province)


def offer(offer, event, **values):
    """Tell the person about a new offer, or the agent about its offer:
    accepted, closed or ended."""
    with without_check_access():
        offer = offer.__class__(offer.id)
        request = offer.request
        if event == 'new':
            user = request.web_user
            to, language = user.email, user.language
        else:
            to, language = offer.agent.web_user.email, offer.agent.language
        with Transaction().set_context(language=language):
            insurer = offer.insurer.__class__(offer.insurer.id).name
        mail.send(to, 'agent_marketplace/email/offer.html', language,
            resource=request, request=request, event=event, insurer=insurer,
            link=mail.portal_url(f'/market/requests/{request.uuid}'),
            **values)
        if event == 'accepted':
            sms(offer.agent.phone or offer.agent.web_user.phone, event,
                language)
