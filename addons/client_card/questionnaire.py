# This file is part of the insurance intermediary platform.
"""Questionnaires defined as data, and their versions.

A version holds sections and questions; it is edited as a draft and frozen
when published (the shared discipline of portal/versioned.py): its content
is stored as the canonical JSON of the published format, with its SHA-256,
and collections point to the version they answered. A new draft starts as a
copy of the version in force."""
import json

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.modules.portal.versioned import VersionMixin
from trytond.pool import Pool
from trytond.pyson import Eval

from . import questionnaire_json
from .questionnaire_exceptions import QuestionnaireError

KINDS = [
    ('risk', "Risk questionnaire"),
    ('demands_needs', "Demands and needs (IVASS Reg. 40/2018 art. 58)"),
    ]


class Questionnaire(DeactivableMixin, ModelSQL, ModelView):
    "Questionnaire"
    __name__ = 'questionnaire'
    code = fields.Char("Code", required=True, size=50)
    name = fields.Char("Name", required=True, translate=True, size=200)
    kind = fields.Selection(KINDS, "Kind", required=True,
        help="The demands-and-needs block is asked before every risk.")
    versions = fields.One2Many('questionnaire.version', 'questionnaire',
        "Versions")
    current_version = fields.Function(
        fields.Many2One('questionnaire.version', "Version in Force"),
        'get_current_version')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(table, table.code),
                'client_card.msg_questionnaire_code_unique'),
            ]
        cls._sql_indexes.add(Index(table, (table.code, Index.Equality())))

    @classmethod
    def default_kind(cls):
        return 'risk'

    @classmethod
    def get_current_version(cls, questionnaires, name):
        return Pool().get('questionnaire.version').in_force_of(questionnaires)

    @classmethod
    def demands_needs(cls):
        "Return the version in force of the demands-and-needs block."
        for questionnaire in cls.search([('kind', '=', 'demands_needs')]):
            if questionnaire.current_version:
                return questionnaire.current_version


class Version(VersionMixin, ModelSQL, ModelView):
    "Questionnaire Version"
    __name__ = 'questionnaire.version'
    _version_of = 'questionnaire'
    _version_hash = 'content_hash'
    _version_messages = {
        'not_draft': 'client_card.msg_questionnaire_version_not_draft',
        'publish_button': 'client_card.msg_questionnaire_version_publish',
        }
    _states = {'readonly': Eval('state') != 'draft'}
    questionnaire = fields.Many2One(
        'questionnaire', "Questionnaire", required=True, ondelete='RESTRICT',
        states=_states)
    sections = fields.One2Many('questionnaire.section', 'version',
        "Sections", states=_states)
    content = fields.Text("Published Content", readonly=True,
        help="The version as the JSON of the published format, frozen.")
    content_hash = fields.Char("Content SHA-256", readonly=True)
    json_file = fields.Function(fields.Binary(
            "JSON", filename='json_filename'), 'get_json_file')
    json_filename = fields.Function(fields.Char("JSON Name"),
        'get_json_file')
    del _states
    _content_cache = Cache('questionnaire.version.content', context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('questionnaire', 'ASC'), ('number', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({
                'publish': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'new_draft': {
                    'invisible': Eval('state') == 'draft',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def copy(cls, versions, default=None):
        default = default.copy() if default else {}
        default.setdefault('content')
        return super().copy(versions, default=default)

    def canonical_content(self):
        return questionnaire_json.dumps(questionnaire_json.export(self))

    @classmethod
    def check_publishable(cls, versions):
        for version in versions:
            errors = questionnaire_json.problems(
                questionnaire_json.export(version))
            if errors:
                raise QuestionnaireError(gettext(
                        'client_card.msg_questionnaire_invalid',
                        version=version.rec_name, problems='; '.join(errors)))

    @classmethod
    @ModelView.button
    def publish(cls, versions):
        for version in versions:
            cls.write([version], {'content': version.canonical_content()})
        super().publish(versions)

    @classmethod
    @ModelView.button
    def new_draft(cls, versions):
        "Start a draft of each questionnaire from the version's content."
        return [questionnaire_json.load(v.definition()) for v in versions]

    @classmethod
    def on_modification(cls, mode, versions, field_names=None):
        super().on_modification(mode, versions, field_names=field_names)
        cls._content_cache.clear()

    def definition(self):
        "Return the version as the dict of the published format."
        if self.state == 'draft':
            return questionnaire_json.export(self)
        content = self._content_cache.get(self.id)
        if content is None:
            content = self.content
            self._content_cache.set(self.id, content)
        return json.loads(content)

    @classmethod
    def get_json_file(cls, versions, name):
        if name == 'json_filename':
            return {v.id: f'{v.questionnaire.code}-v{v.number}.json'
                for v in versions}
        return {v.id: questionnaire_json.dumps(
                v.definition(), indent=2).encode() for v in versions}
