# This file is part of the insurance intermediary platform.
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.wizard import StateTransition, Wizard


class Signup(metaclass=PoolMeta):
    __name__ = 'portal.signup'
    consent = fields.Function(
        fields.Many2One('consent.record', "Privacy Consent Record"),
        'get_consent')

    @classmethod
    def on_modification(cls, mode, signups, field_names=None):
        super().on_modification(mode, signups, field_names=field_names)
        if mode == 'create':
            cls.record_consents(signups)

    @classmethod
    def record_consents(cls, signups):
        """Record the GDPR consent of each sign-up on the privacy form
        version in force, with the sign-up's channel, address and agent."""
        pool = Pool()
        Configuration = pool.get('consent.configuration')
        Record = pool.get('consent.record')
        form = Configuration(1).get_signup_form()
        version = form.current_version if form else None
        if not version:
            return []
        return Record.create([{
                    'party': s.party.id,
                    'version': version.id,
                    'answer': 'given',
                    'channel': 'portal',
                    'web_user': s.web_user.id,
                    'ip_address': s.ip_address,
                    'user_agent': s.user_agent,
                    'language': s.language,
                    'time': s.privacy_consent_date,
                    } for s in signups])

    @classmethod
    def migrate_consents(cls):
        "Record the consents of the sign-ups that have none; return them."
        pool = Pool()
        Configuration = pool.get('consent.configuration')
        Record = pool.get('consent.record')
        form = Configuration(1).get_signup_form()
        if not form:
            return []
        recorded = {(r.party.id, r.web_user.id) for r in Record.search([
                    ('form', '=', form.id), ('web_user', '!=', None)])}
        signups = [s for s in cls.search([], order=[('id', 'ASC')])
            if (s.party.id, s.web_user.id) not in recorded]
        return cls.record_consents(signups)

    @classmethod
    def get_consent(cls, signups, name):
        pool = Pool()
        Configuration = pool.get('consent.configuration')
        Record = pool.get('consent.record')
        form = Configuration(1).get_signup_form()
        result = dict.fromkeys(map(int, signups))
        if not form:
            return result
        by_user = {s.web_user.id: s.id for s in signups}
        for record in Record.search([
                    ('form', '=', form.id),
                    ('web_user', 'in', list(by_user)),
                    ], order=[('id', 'ASC')]):
            result[by_user[record.web_user.id]] = record.id
        return result


class MigrateSignups(Wizard):
    "Record the Consents of Earlier Sign-ups"
    __name__ = 'consent.signup.migrate'
    start = StateTransition()

    def transition_start(self):
        Signup = Pool().get('portal.signup')
        Signup.migrate_consents()
        return 'end'
