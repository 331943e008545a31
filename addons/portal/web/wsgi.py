# This file is part of the insurance intermediary platform.
"""One WSGI application: the Tryton server (web client and JSON-RPC) at
``/`` and the customer portal at ``/portal``.

The database comes from ``TRYTOND_DATABASE_NAMES`` (the first name).
"""
import os

from trytond.application import app as trytond_app  # starts the pool first
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from . import create_app
from .backoffice import hardened

database = os.environ['TRYTOND_DATABASE_NAMES'].split(',')[0]
portal_app = create_app(database)
app = DispatcherMiddleware(hardened(trytond_app), {'/portal': portal_app})
