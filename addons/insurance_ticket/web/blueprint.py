# This file is part of the insurance intermediary platform.
"""The blueprint the ticket pages are routed on."""
from flask import Blueprint

blueprint = Blueprint(
    'insurance_ticket', __name__,
    url_prefix='/tickets', template_folder='../templates',
    static_folder='../static', static_url_path='/static')
