# This file is part of the insurance intermediary platform.
"""Portal pages of the tickets: the dashboard section, the new-ticket form
and the ticket page where clients and brokers work."""
from flask import Blueprint

from trytond.modules.portal.web.extensions import (
    dashboard_section, menu_item, stylesheet)
from trytond.modules.portal.web.i18n import N_

blueprint = Blueprint(
    'insurance_ticket', __name__,
    url_prefix='/tickets', template_folder='../templates',
    static_folder='../static', static_url_path='/static')

menu_item('insurance_ticket.new', N_("New ticket"), sequence=20)
stylesheet('insurance_ticket.static', 'ticket.css')

from . import views  # noqa: E402,F401 (routes on the blueprint)

dashboard_section(views.dashboard)
