# This file is part of the insurance intermediary platform.
"""The people of the marketplace: those who signed up for it, and its
agents, use its pages and not the Italian intermediary's."""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access

SERVICE = 'marketplace'


class User(metaclass=PoolMeta):
    __name__ = 'web.user'
    marketplace = fields.Boolean("Marketplace",
        help="The person signed up for the marketplace of agents.")

    @classmethod
    def default_marketplace(cls):
        return False

    def portal_services(self):
        Agent = Pool().get('marketplace.agent')
        if self.marketplace or Agent.of_web_user(self) is not None:
            return {SERVICE}
        services = super().portal_services()
        Request = Pool().get('marketplace.request')
        with without_check_access():
            posted = Request.search([('web_user', '=', self.id)], limit=1)
        if posted:
            services.add(SERVICE)
        return services


class Signup(metaclass=PoolMeta):
    __name__ = 'portal.signup'

    @classmethod
    def sign_up(cls, data):
        "A sign-up for the marketplace makes a person of the marketplace."
        signup = super().sign_up(data)
        if signup and data.get('service') == SERVICE:
            signup.web_user.marketplace = True
            signup.web_user.save()
        return signup
