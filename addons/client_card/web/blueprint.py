# This file is part of the insurance intermediary platform.
"""The blueprint the card pages are routed on."""
from flask import Blueprint

blueprint = Blueprint(
    'client_card', __name__,
    url_prefix='/card', template_folder='../templates',
    static_folder='../static', static_url_path='/static')
