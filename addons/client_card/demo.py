# This file is part of the insurance intermediary platform.
"""Demo data of the client card module."""
from . import questionnaire_install


def load():
    # the quote area: the shipped questionnaires, published, and their risks
    questionnaire_install.install()
