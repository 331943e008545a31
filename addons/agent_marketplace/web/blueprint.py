# This file is part of the insurance intermediary platform.
"""The blueprint the marketplace pages are routed on."""
from flask import Blueprint

blueprint = Blueprint(
    'agent_marketplace', __name__, template_folder='../templates',
    static_folder='../static', static_url_path='/market/static')
