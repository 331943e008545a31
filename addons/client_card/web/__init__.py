# This file is part of the insurance intermediary platform.
"""Portal pages of the client card and of the quote area."""
from trytond.modules.portal.web.extensions import dashboard_section

from . import quote  # noqa: E402

blueprints = [quote.blueprint]
dashboard_section(quote.dashboard)
