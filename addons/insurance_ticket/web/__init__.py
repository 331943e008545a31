# This file is part of the insurance intermediary platform.
"""Portal pages of the tickets: the dashboard section, the new-ticket form
and the ticket page where clients and brokers work."""

from trytond.modules.consent_registry.web import steps
from trytond.modules.portal.web.extensions import (
    dashboard_section, menu_item, stylesheet, welcome_section)
from trytond.modules.portal.web.i18n import N_

from .blueprint import blueprint  # noqa: F401 (the module's pages)


menu_item('insurance_ticket.index', N_("My tickets"), sequence=15,
    role='intermediary')
menu_item('insurance_ticket.new', N_("New ticket"), sequence=20,
    role='intermediary')

# Opening a ticket is a quote request; accepting a quote and signing the
# policy make the contract; every other action on a ticket (messages, the
# questionnaire) waits for the changed forms only.
steps.guard('insurance_ticket.new', moment='quote')
steps.guard('insurance_ticket.create', {'POST'}, 'quote')
steps.guard('insurance_ticket.act/accept', {'POST'}, 'contract')
steps.guard('insurance_ticket.sign*', {'POST'}, 'contract')
steps.guard('insurance_ticket.*', {'POST'})
stylesheet('insurance_ticket.static', 'ticket.css')
welcome_section('insurance_ticket/_welcome.html', sequence=10)

from . import views  # noqa: E402,F401 (routes on the blueprint)

dashboard_section(views.dashboard, role='intermediary')
