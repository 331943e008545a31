# This file is part of the insurance intermediary platform.
import datetime as dt
import hashlib
import json

from sql.aggregate import Max
from sql.operators import Equal

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Exclude, ModelSQL, ModelView, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import VersionPublishedError, VersionPublishError

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
        Version = Pool().get('consent.form.version')
        result = dict.fromkeys(map(int, forms))
        for version in Version.search([
                    ('form', 'in', list(result)),
                    ('state', '=', 'published'),
                    ], order=[('number', 'ASC')]):
            result[version.form.id] = version.id
        return result

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


class FormVersion(Workflow, ModelSQL, ModelView):
    "Consent Form Version"
    __name__ = 'consent.form.version'
    _states = {'readonly': Eval('state') != 'draft'}
    form = fields.Many2One(
        'consent.form', "Form", required=True, ondelete='RESTRICT',
        states=_states)
    number = fields.Integer("Number", readonly=True)
    text = fields.Text(
        "Text", translate=True, states=_states,
        help="The full text shown to the client, in each language.")
    change_summary = fields.Text(
        "What Changed", translate=True, states=_states)
    effective_date = fields.Date("Effective Date", required=True,
        states=_states)
    text_hash = fields.Char("Text SHA-256", readonly=True)
    published_at = fields.Timestamp("Published At", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('published', "Published"),
            ('retired', "Retired"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('form', 'ASC'), ('number', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'published'),
            ('published', 'retired'),
            }
        cls._buttons.update({
                'publish_wizard': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'retire': {
                    'invisible': Eval('state') != 'published',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_effective_date(cls):
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        return f'{self.form.rec_name} v{self.number}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('form.rec_name',) + tuple(clause[1:])]

    @classmethod
    def on_modification(cls, mode, versions, field_names=None):
        pool = Pool()
        Form = pool.get('consent.form')
        super().on_modification(mode, versions, field_names=field_names)
        Form._in_force_cache.clear()

    @classmethod
    def create(cls, vlist):
        vlist = [v.copy() for v in vlist]
        if cls._reference_data():
            return super().create(vlist)
        numbers = {}
        for values in vlist:
            form = values['form']
            if form not in numbers:
                numbers[form] = cls._last_number(form)
            numbers[form] += 1
            values['number'] = numbers[form]
            values['state'] = 'draft'
            for name in ('text_hash', 'published_at'):
                values.pop(name, None)
        return super().create(vlist)

    @staticmethod
    def _reference_data():
        """Tell whether the module's XML is being loaded: its versions come
        published, with the hash of their three texts (checked by the
        module's test and by every chain verification)."""
        transaction = Transaction()
        return transaction.user == 0 and bool(
            transaction.context.get('module'))

    @classmethod
    def _last_number(cls, form_id):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(
                Max(table.number), where=table.form == form_id))
        number, = cursor.fetchone()
        return number or 0

    @classmethod
    def check_modification(cls, mode, versions, values=None, external=False):
        "A version changes only as a draft, and only its buttons publish it."
        super().check_modification(
            mode, versions, values=values, external=external)
        if mode == 'delete':
            cls.check_draft(versions)
        elif mode == 'write':
            if set(values) - {'state'}:
                cls.check_draft(versions)
            if 'state' in values:
                cls.check_transition(versions, values['state'])
            if values.get('state') == 'published':
                cls.check_frozen(versions)

    @classmethod
    def check_draft(cls, versions):
        for version in versions:
            if version.state != 'draft':
                raise VersionPublishedError(gettext(
                        'consent_registry.msg_version_not_draft',
                        version=version.number, form=version.form.rec_name,
                        state=version.state_string))

    @classmethod
    def check_transition(cls, versions, state):
        for version in versions:
            if (version.state, state) not in cls._transitions:
                raise VersionPublishedError(gettext(
                        'consent_registry.msg_version_not_draft',
                        version=version.number, form=version.form.rec_name,
                        state=version.state_string))

    @classmethod
    def check_frozen(cls, versions):
        "Refuse to publish versions whose text the Publish button did not hash."
        for version in cls.search([
                    ('id', 'in', list(map(int, versions))),
                    ('text_hash', '=', None),
                    ]):
            raise VersionPublishError(gettext(
                    'consent_registry.msg_version_publish_button',
                    version=version.number, form=version.form.rec_name))

    @classmethod
    def copy(cls, versions, default=None):
        default = default.copy() if default else {}
        default.setdefault('text_hash')
        default.setdefault('published_at')
        return super().copy(versions, default=default)

    def texts(self):
        "Return the text of the version in each language."
        texts = {}
        for language in LANGUAGES:
            with Transaction().set_context(language=language):
                text = self.__class__(self.id).text or ''
            texts[language] = '\n'.join(
                line.rstrip() for line in text.strip().splitlines())
        return texts

    def canonical_text(self):
        "Return the canonical serialisation the text hash is taken of."
        return json.dumps({
                'form': self.form.code,
                'version': self.number,
                'effective_date': self.effective_date.isoformat(),
                'texts': self.texts(),
                }, sort_keys=True, ensure_ascii=False, separators=(',', ':'))

    def compute_text_hash(self):
        return hashlib.sha256(self.canonical_text().encode()).hexdigest()

    @classmethod
    @ModelView.button_action('consent_registry.wizard_publish')
    def publish_wizard(cls, versions):
        pass

    @classmethod
    @Workflow.transition('published')
    def publish(cls, versions):
        "Freeze the versions and retire the ones they replace."
        for version in versions:
            if not all(version.texts().values()):
                raise VersionPublishError(gettext(
                        'consent_registry.msg_version_no_text',
                        version=version.number, form=version.form.rec_name))
        now = dt.datetime.now().replace(microsecond=0)
        for version in versions:
            cls.write([version], {
                    'text_hash': version.compute_text_hash(),
                    'published_at': now,
                    })
        previous = cls.search([
                ('form', 'in', [v.form.id for v in versions]),
                ('state', '=', 'published'),
                ('id', 'not in', list(map(int, versions))),
                ])
        cls.retire(previous)

    @classmethod
    @ModelView.button
    @Workflow.transition('retired')
    def retire(cls, versions):
        pass

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
