# This file is part of the insurance intermediary platform.
"""Portal pages of the client card: the card with its sections, one form
per section, the confirmation and the download of the client's data."""
from trytond.modules.consent_registry.web import steps
from trytond.modules.portal.web.extensions import menu_item, stylesheet
from trytond.modules.portal.web.i18n import N_

from .blueprint import blueprint  # noqa: F401 (the module's pages)


menu_item('client_card.index', N_("My card"), sequence=10,
    role='intermediary')

# Saving the card waits for the changed forms only.
steps.guard('client_card.*', {'POST'})
stylesheet('client_card.static', 'card.css')

from . import card  # noqa: E402,F401 (routes on the blueprint)
from . import quote  # noqa: E402 (the quote area, under /quotes)

blueprints = [quote.blueprint]
