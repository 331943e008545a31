# This file is part of the insurance intermediary platform.
from email.utils import parseaddr

from trytond import config
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "Consent Configuration"
    __name__ = 'consent.configuration'
    intermediary_email = fields.Char(
        "Intermediary Email",
        help="Receives a copy of every consent with its PDF.")
    signup_form = fields.Many2One(
        'consent.form', "Sign-up Privacy Form",
        domain=[('kind', '=', 'consent')],
        help="The form the privacy consent of the portal sign-up records; "
        "by default the first mandatory consent form asked at sign-up.")

    @classmethod
    def default_intermediary_email(cls):
        return parseaddr(config.get('email', 'from', default=''))[1] or None


    def get_intermediary_email(self):
        return self.intermediary_email or self.default_intermediary_email()

    def get_signup_form(self):
        "Return the form the sign-up's privacy consent is recorded on."
        Form = Pool().get('consent.form')
        if self.signup_form:
            return self.signup_form
        forms = Form.search([
                ('kind', '=', 'consent'),
                ('mandatory', '=', True),
                ('moment', '=', 'signup'),
                ], limit=1)
        return forms[0] if forms else None
