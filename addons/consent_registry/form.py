# This file is part of the insurance intermediary platform.
import json

from sql.operators import Equal

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Exclude, ModelSQL, ModelView, fields)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from trytond.modules.portal.versioned import VersionMixin

from .exceptions import VersionPublishError

LANGUAGES = ('it', 'en', 'fa')


# The moments a form is asked at, each step needing those before it too.
MOMENTS = ['signup', 'quote', 'contract']


class Form(DeactivableMixin, ModelSQL, ModelView):
    "Consent Form"
    __name__ = 'consent.form'
    code = fields.Char("Code", required=True)
    name = fields.Char(
        "Name", required=True, translate=True, loading='eager')
    purpose = fields.Text("Purpose", translate=True)
    kind = fields.Selection([
            ('consent', "Consent (given or refused)"),
            ('acknowledgement', "Acknowledgement of information"),
            ], "Kind", required=True)
    mandatory = fields.Boolean(
        "Mandatory", help="Blocks quotes and contracts until given.")
    party_kind = fields.Selection([
            ('person', "Natural persons"),
            ('legal', "Legal persons"),
            ('both', "Both"),
            ], "For", required=True)
    moment = fields.Selection([
            ('signup', "At sign-up"),
            ('quote', "Before a quote"),
            ('contract', "Before a contract"),
            ], "Asked", required=True,
        help="The first step that needs an answer to the form.")
    sequence = fields.Integer("Sequence")
    versions = fields.One2Many('consent.form.version', 'form', "Versions")
    current_version = fields.Function(
        fields.Many2One('consent.form.version', "Current Version"),
        'get_current_version')
    _in_force_cache = Cache('consent.form.in_force', context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Exclude(t, (t.code, Equal)),
                'consent_registry.msg_form_code_unique'),
            ]
        cls._order = [
            ('sequence', 'ASC NULLS LAST'), ('code', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_kind(cls):
        return 'consent'

    @classmethod
    def default_party_kind(cls):
        return 'both'

    @classmethod
    def default_moment(cls):
        return 'signup'

    @classmethod
    def get_current_version(cls, forms, name):
        "Return the published version in force of each form."
        return Pool().get('consent.form.version').in_force_of(forms)

    @classmethod
    def in_force(cls):
        "Return the (form, current version) pairs of the active forms."
        pool = Pool()
        Version = pool.get('consent.form.version')
        pairs = cls._in_force_cache.get(None)
        if pairs is None:
            pairs = [(f.id, f.current_version.id)
                for f in cls.search([]) if f.current_version]
            cls._in_force_cache.set(None, pairs)
        return list(zip(cls.browse([f for f, _ in pairs]),
                Version.browse([v for _, v in pairs])))

    @classmethod
    def on_modification(cls, mode, forms, field_names=None):
        super().on_modification(mode, forms, field_names=field_names)
        cls._in_force_cache.clear()

    def applies_to(self, kind):
        "Tell whether the form is asked to a party of this kind."
        return self.party_kind in {kind, 'both'}

    def due_by(self, moment):
        "Tell whether a step at the moment needs an answer to the form."
        return MOMENTS.index(self.moment) <= MOMENTS.index(moment)

    def answers(self):
        "Return the answers a client can give to the form."
        if self.kind == 'acknowledgement':
            return ['acknowledged']
        return ['given', 'refused']


class FormVersion(VersionMixin, ModelSQL, ModelView):
    "Consent Form Version"
    __name__ = 'consent.form.version'
    _version_of = 'form'
    _version_hash = 'text_hash'
    _version_messages = {
        'not_draft': 'consent_registry.msg_version_not_draft',
        'publish_button': 'consent_registry.msg_version_publish_button',
        }
    _states = {'readonly': Eval('state') != 'draft'}
    form = fields.Many2One(
        'consent.form', "Form", required=True, ondelete='RESTRICT',
        states=_states)
    text = fields.Text(
        "Text", translate=True, states=_states,
        help="The full text shown to the client, in each language.")
    change_summary = fields.Text(
        "What Changed", translate=True, states=_states)
    effective_date = fields.Date("Effective Date", required=True,
        states=_states)
    text_hash = fields.Char("Text SHA-256", readonly=True)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('form', 'ASC'), ('number', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({
                'publish_wizard': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_effective_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def on_modification(cls, mode, versions, field_names=None):
        pool = Pool()
        Form = pool.get('consent.form')
        super().on_modification(mode, versions, field_names=field_names)
        Form._in_force_cache.clear()

    def texts(self):
        "Return the text of the version in each language."
        texts = {}
        for language in LANGUAGES:
            with Transaction().set_context(language=language):
                text = self.__class__(self.id).text or ''
            texts[language] = '\n'.join(
                line.rstrip() for line in text.strip().splitlines())
        return texts

    def canonical_content(self):
        "Return the canonical serialisation the text hash is taken of."
        return json.dumps({
                'form': self.form.code,
                'version': self.number,
                'effective_date': self.effective_date.isoformat(),
                'texts': self.texts(),
                }, sort_keys=True, ensure_ascii=False, separators=(',', ':'))

    canonical_text = canonical_content

    def compute_text_hash(self):
        return self.compute_hash()

    @classmethod
    @ModelView.button_action('consent_registry.wizard_publish')
    def publish_wizard(cls, versions):
        pass

    @classmethod
    def check_publishable(cls, versions):
        for version in versions:
            if not all(version.texts().values()):
                raise VersionPublishError(gettext(
                        'consent_registry.msg_version_no_text',
                        version=version.number, form=version.form.rec_name))

    def parties_to_reconsent(self):
        "Return the parties whose last answer to the form is on an older one."
        pool = Pool()
        Party = pool.get('party.party')
        Record = pool.get('consent.record')
        return Party.browse([party for party, records in Record.last_answers(
                    forms=[self.form]).items()
                if any(r.version.number < self.number
                    for r in records.values())])


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
