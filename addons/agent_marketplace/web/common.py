# This file is part of the insurance intermediary platform.
"""What the marketplace's pages share: the lists to choose from, rials
shown as toman in Persian, and the visitor's agency."""
from trytond.modules.portal import formats
from trytond.modules.portal.web import auth
from trytond.modules.portal.web.i18n import current_language
from trytond.modules.portal.web.i18n import gettext as _
from trytond.modules.portal.web.tryton import tryton

from .blueprint import blueprint


def rials(value):
    "Return the price: toman with Persian digits in Persian, else rials."
    language = current_language()
    if value is None:
        return ''
    if language == 'fa':
        return _("%(amount)s toman", amount=formats.format_number(
                value / 10, language, decimals=0))
    return formats.format_amount(value, language, currency='IRR')


blueprint.add_app_template_filter(rials, 'rials')


def choices():
    pool = tryton.pool
    return {
        'lines': pool.get('marketplace.line').search([]),
        'provinces': pool.get('marketplace.province').search([]),
        'insurers': pool.get('marketplace.insurer').search([]),
        }


def current_agent():
    "Return the agency of the logged-in web user, or None."
    Agent = tryton.pool.get('marketplace.agent')
    user = auth.current_user()
    return Agent.of_web_user(user) if user else None


def labels(model, field):
    Model = tryton.pool.get(model)
    return dict(Model.fields_get([field])[field]['selection'])
