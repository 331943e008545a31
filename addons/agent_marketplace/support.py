# This file is part of the insurance intermediary platform.
"""An agent's upgrade and support requests reach the staff as tickets of
the service desk, on the marketplace's line."""
from trytond.modules.portal.i18n import N_, gettext
from trytond.pool import Pool

TITLES = {
    'upgrade': N_("Account upgrade request: %(agency)s"),
    'support': N_("Marketplace support request: %(agency)s"),
    }
REQUEST_TYPES = {'upgrade': 'commercial', 'support': 'technical'}


def open_ticket(agent, kind, description, language):
    "Open the ticket of the agent's request to the staff; return it."
    pool = Pool()
    Ticket = pool.get('insurance.ticket')
    Line = pool.get('insurance.ticket.line')
    RequestType = pool.get('insurance.ticket.request_type')
    Message = pool.get('insurance.ticket.message')
    line, = Line.search([('code', '=', 'marketplace')], limit=1)
    request_type, = RequestType.search(
        [('code', '=', REQUEST_TYPES[kind])], limit=1)
    return Ticket.open({
            'title': gettext(TITLES[kind], language,
                agency=agent.agency_name)[:200],
            'client': agent.party.id,
            'line': line.id,
            'request_type': request_type.id,
            }, description, [], Message.web_author(agent.web_user))
