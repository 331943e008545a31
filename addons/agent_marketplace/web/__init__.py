# This file is part of the insurance intermediary platform.
"""Portal pages of the marketplace: people post requests and accept an
offer; agents sign up, send their documents, choose a plan and answer the
requests in their inbox."""

from trytond.modules.consent_registry.web import steps
from trytond.modules.portal.web.extensions import (
    menu_item, role, stylesheet, welcome_section)
from trytond.modules.portal.web.tryton import tryton
from trytond.modules.portal.web.i18n import N_

from .blueprint import blueprint  # noqa: F401 (the module's pages)


menu_item('agent_marketplace.requests', N_("Insurance requests"),
    sequence=30, role='marketplace')
menu_item('agent_marketplace.inbox', N_("Agent inbox"), sequence=35,
    role='agent')


@role('agent')
def is_agent(user):
    "The web user has signed up as an agent."
    Agent = tryton.pool.get('marketplace.agent')
    return Agent.of_web_user(user) is not None


# every action waits for the mandatory forms whose text changed
steps.guard('agent_marketplace.*', {'POST'})
stylesheet('agent_marketplace.static', 'market.css')
welcome_section('agent_marketplace/_welcome.html', sequence=20,
    leads_in=['fa'])

from . import agents, requests  # noqa: E402,F401 (routes on the blueprint)
