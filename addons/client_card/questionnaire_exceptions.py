# This file is part of the insurance intermediary platform.
"""User errors of the questionnaires and the quote collections (their texts
are ir.message records of questionnaire.xml)."""
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.portal.exceptions import (  # noqa: F401 (shared)
    VersionPublishedError, VersionPublishError)


class QuestionnaireError(ValidationError):
    pass


class QuestionnairePublishedError(VersionPublishedError):
    pass


class QuestionnaireImportError(UserError):
    pass


class QuoteConfirmedError(AccessError):
    pass


class QuoteIncompleteError(ValidationError):
    pass


class QuoteProvenanceImmutable(AccessError):
    pass


class QuoteAnswerError(ValidationError):
    pass
