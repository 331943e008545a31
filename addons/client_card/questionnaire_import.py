# This file is part of the insurance intermediary platform.
"""The back office's import of a questionnaire as JSON: the file is checked
against the published schema, and becomes a draft version."""
import json

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.wizard import Button, StateAction, StateView, Wizard

from . import questionnaire_json
from .questionnaire_exceptions import QuestionnaireImportError


class ImportStart(ModelView):
    "Import Questionnaire"
    __name__ = 'questionnaire.import.start'
    file = fields.Binary("JSON File", required=True,
        help="A questionnaire exported from this or another database.")


class Import(Wizard):
    "Import Questionnaire"
    __name__ = 'questionnaire.import'
    start = StateView('questionnaire.import.start',
        'client_card.questionnaire_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'open_', 'tryton-ok', default=True),
            ])
    open_ = StateAction('client_card.act_questionnaire_version')

    def do_open_(self, action):
        version = load_json(self.start.file)
        action['res_id'] = [version.id]
        action['views'].reverse()
        return action, {}


def load_json(data):
    """Return the draft version of the JSON (bytes or text), refused with
    the list of its problems."""
    try:
        content = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise QuestionnaireImportError(gettext(
                'client_card.msg_questionnaire_import', problems=str(error)))
    problems = questionnaire_json.problems(content)
    if problems:
        raise QuestionnaireImportError(gettext(
                'client_card.msg_questionnaire_import',
                problems='; '.join(problems[:10])))
    return questionnaire_json.load(content)
