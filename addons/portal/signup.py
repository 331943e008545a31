# This file is part of the insurance intermediary platform.
import datetime as dt

from stdnum.it import iva

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool

from . import mail
from .exceptions import SignupReadOnlyError


class Signup(ModelSQL, ModelView):
    "Portal Sign-up"
    __name__ = 'portal.signup'

    web_user = fields.Many2One(
        'web.user', "Web User", required=True, readonly=True,
        ondelete='RESTRICT')
    party = fields.Many2One(
        'party.party', "Person", required=True, readonly=True,
        ondelete='RESTRICT')
    company = fields.Many2One(
        'party.party', "Company", readonly=True, ondelete='RESTRICT')
    email = fields.Char("Email", required=True, readonly=True)
    ip_address = fields.Char("IP Address", readonly=True)
    user_agent = fields.Char("User Agent", readonly=True)
    language = fields.Char("Language", readonly=True)
    privacy_consent_date = fields.Timestamp(
        "Privacy Consent", required=True, readonly=True,
        help="When the person accepted the privacy notice (GDPR).")
    signed_up_at = fields.Function(
        fields.Timestamp("Signed Up"), 'get_signed_up_at')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]

    def get_signed_up_at(self, name):
        return self.create_date

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode in {'write', 'delete'}:
            raise SignupReadOnlyError(gettext('portal.msg_signup_read_only'))

    @classmethod
    def sign_up(cls, data):
        """Create the person, the company, the web user and this record
        from the checked sign-up data; send the confirmation email.

        An address that already has an account gets an email telling its
        owner, and nothing else happens: the page answers as for a new
        account, so it tells nobody which addresses have accounts."""
        pool = Pool()
        Party = pool.get('party.party')
        Lang = pool.get('ir.lang')
        WebUser = pool.get('web.user')
        existing = WebUser.search([('email', '=', data['email'])], limit=1)
        if existing:
            owner, = existing
            mail.send(owner.email, 'portal/email/signup_existing.html',
                data.get('language') or owner.language, resource=owner,
                user=owner, login=mail.portal_url('/login'),
                reset=mail.portal_url('/reset'))
            return None

        langs = Lang.search([('code', '=', data['language'])], limit=1)
        address = cls._address(data)
        person = Party(
            name=f"{data['first_name']} {data['surname']}",
            lang=langs[0] if langs else None,
            addresses=[address],
            contact_mechanisms=[
                {'type': 'email', 'value': data['email']},
                {'type': 'mobile', 'value': data['phone']},
                ])
        person.save()
        company = None
        if data.get('company_name'):
            company = Party(
                name=data['company_name'],
                lang=person.lang,
                addresses=[address],
                identifiers=cls._identifiers(data.get('vat_code')),
                contact_mechanisms=[
                    {'type': 'email', 'value': data['email'],
                        'name': person.name},
                    {'type': 'mobile', 'value': data['phone'],
                        'name': person.name},
                    ])
            company.save()
        user = WebUser(
            email=data['email'], password=data['password'],
            party=person, secondary_parties=[company] if company else [],
            first_name=data['first_name'], surname=data['surname'],
            phone=data['phone'], vat_code=data.get('vat_code'),
            management_software=data.get('management_software'),
            condominium_count=data.get('condominium_count'))
        user.save()
        signup, = cls.create([{
                    'web_user': user.id,
                    'party': person.id,
                    'company': company.id if company else None,
                    'email': user.email,
                    'ip_address': data.get('ip_address'),
                    'user_agent': (data.get('user_agent') or '')[:500],
                    'language': data['language'],
                    'privacy_consent_date': data.get(
                        'privacy_consent_date') or dt.datetime.now(),
                    }])
        user.send_confirmation()
        return signup

    @classmethod
    def _address(cls, data):
        Subdivision = Pool().get('country.subdivision')
        province = Subdivision.italian_province(data.get('province'))
        return {
            'street_name': data.get('street'),
            'building_number': data.get('street_number'),
            'postal_code': data.get('postal_code'),
            'city': data.get('city'),
            'country': province.country.id if province else None,
            'subdivision': province.id if province else None,
            }

    @classmethod
    def _identifiers(cls, code):
        "Return the VAT identifier when the code is an Italian VAT number."
        if code and iva.is_valid(code):
            return [{'type': 'eu_vat', 'code': 'IT' + iva.compact(code)}]
        return []

