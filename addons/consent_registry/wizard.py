# This file is part of the insurance intermediary platform.
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.wizard import Button, StateTransition, StateView, Wizard


class PublishStart(ModelView):
    "Publish Consent Form Version"
    __name__ = 'consent.form.version.publish.start'
    version = fields.Many2One(
        'consent.form.version', "Version", readonly=True)
    count = fields.Integer("Parties to Re-consent", readonly=True)
    message = fields.Text("Effect", readonly=True)


class Publish(Wizard):
    "Publish Consent Form Version"
    __name__ = 'consent.form.version.publish'
    start = StateView('consent.form.version.publish.start',
        'consent_registry.version_publish_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Publish", 'publish', 'tryton-ok', default=True),
            ])
    publish = StateTransition()

    def default_start(self, fields):
        count = len(self.record.parties_to_reconsent())
        return {
            'version': self.record.id,
            'count': count,
            'message': gettext(
                'consent_registry.msg_publish_count', count=count),
            }

    def transition_publish(self):
        Version = Pool().get('consent.form.version')
        Version.publish([self.record])
        return 'end'


class VerifyResult(ModelView):
    "Consent Chain Verification"
    __name__ = 'consent.verify.result'
    verification = fields.Many2One(
        'consent.verification', "Verification", readonly=True)
    report = fields.Text("Report", readonly=True)


class Verify(Wizard):
    "Verify Consent Chains"
    __name__ = 'consent.verify'
    start = StateView('consent.verify.result',
        'consent_registry.verify_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        Verification = Pool().get('consent.verification')
        verification = Verification.check()
        return {
            'verification': verification.id,
            'report': verification.report,
            }


class MigrateSignups(Wizard):
    "Record the Consents of Earlier Sign-ups"
    __name__ = 'consent.signup.migrate'
    start = StateTransition()

    def transition_start(self):
        Signup = Pool().get('portal.signup')
        Signup.migrate_consents()
        return 'end'
