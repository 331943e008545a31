# This file is part of the insurance intermediary platform.
"""Versions of a document that freeze when published.

A version is numbered within its document, edited only as a draft, and
published by its button alone, which stores the SHA-256 of the version's
canonical content; publishing retires the version it replaces. Consent form
versions and questionnaire versions share this discipline: a record that
answers a version (a consent, a quote collection) keeps pointing to what was
shown.

A model using it names the Many2One to its document in ``_version_of``, its
hash field in ``_version_hash`` and its messages in ``_version_messages``
(``not_draft``, ``publish_button``), and implements ``canonical_content()``
and ``check_publishable()``."""
import datetime as dt
import hashlib

from sql.aggregate import Max

from trytond.i18n import gettext
from trytond.model import ModelView, Workflow, fields
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import VersionPublishedError, VersionPublishError


class VersionMixin(Workflow):
    __slots__ = ()
    _version_of = None
    _version_hash = None
    _version_messages = {}

    number = fields.Integer("Number", readonly=True)
    published_at = fields.Timestamp("Published At", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('published', "Published"),
            ('retired', "Retired"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {
            ('draft', 'published'),
            ('published', 'retired'),
            }
        cls._buttons.update({
                'retire': {
                    'invisible': Eval('state') != 'published',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    def get_rec_name(self, name):
        return f'{getattr(self, self._version_of).rec_name} v{self.number}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [(f'{cls._version_of}.rec_name',) + tuple(clause[1:])]

    @classmethod
    def create(cls, vlist):
        # numbers follow each other within a document, even in one batch
        vlist = [v.copy() for v in vlist]
        if cls._reference_data():
            return super().create(vlist)
        numbers = {}
        for values in vlist:
            document = values[cls._version_of]
            if document not in numbers:
                numbers[document] = cls._last_number(document)
            numbers[document] += 1
            values['number'] = numbers[document]
            values['state'] = 'draft'
            for name in (cls._version_hash, 'published_at'):
                values.pop(name, None)
        return super().create(vlist)

    @staticmethod
    def _reference_data():
        """Tell whether a module's XML is being loaded: its versions come
        published, with the hash of their content (checked by the module's
        test)."""
        transaction = Transaction()
        return transaction.user == 0 and bool(
            transaction.context.get('module'))

    @classmethod
    def _last_number(cls, document_id):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(Max(table.number),
                where=getattr(table, cls._version_of) == document_id))
        number, = cursor.fetchone()
        return number or 0

    def _message_values(self):
        return {
            'version': self.number,
            'form': getattr(self, self._version_of).rec_name,
            'state': self.state_string,
            }

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
                        cls._version_messages['not_draft'],
                        **version._message_values()))

    @classmethod
    def check_transition(cls, versions, state):
        for version in versions:
            if (version.state, state) not in cls._transitions:
                raise VersionPublishedError(gettext(
                        cls._version_messages['not_draft'],
                        **version._message_values()))

    @classmethod
    def check_frozen(cls, versions):
        "Refuse to publish versions whose content the button did not hash."
        for version in cls.search([
                    ('id', 'in', list(map(int, versions))),
                    (cls._version_hash, '=', None),
                    ]):
            raise VersionPublishError(gettext(
                    cls._version_messages['publish_button'],
                    **version._message_values()))

    @classmethod
    def copy(cls, versions, default=None):
        default = default.copy() if default else {}
        default.setdefault(cls._version_hash)
        default.setdefault('published_at')
        return super().copy(versions, default=default)

    def canonical_content(self):
        "Return the canonical serialisation the hash is taken of."
        raise NotImplementedError

    @classmethod
    def check_publishable(cls, versions):
        "Raise a user error for a version that cannot be published."

    def compute_hash(self):
        return hashlib.sha256(self.canonical_content().encode()).hexdigest()

    @classmethod
    @Workflow.transition('published')
    def publish(cls, versions):
        "Freeze the versions and retire the ones they replace."
        cls.check_publishable(versions)
        now = dt.datetime.now().replace(microsecond=0)
        for version in versions:
            cls.write([version], {
                    cls._version_hash: version.compute_hash(),
                    'published_at': now,
                    })
        previous = cls.search([
                (cls._version_of, 'in', [
                        getattr(v, cls._version_of).id for v in versions]),
                ('state', '=', 'published'),
                ('id', 'not in', list(map(int, versions))),
                ])
        cls.retire(previous)

    @classmethod
    @ModelView.button
    @Workflow.transition('retired')
    def retire(cls, versions):
        pass

    @classmethod
    def in_force_of(cls, documents):
        "Return the published version of each document id (or None)."
        result = dict.fromkeys(map(int, documents))
        for version in cls.search([
                    (cls._version_of, 'in', list(result)),
                    ('state', '=', 'published'),
                    ], order=[('number', 'ASC')]):
            result[getattr(version, cls._version_of).id] = version.id
        return result

