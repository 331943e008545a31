# This file is part of the insurance intermediary platform.
"""The portal's Flask application, mounted at ``/portal``.

Each platform module may carry a ``web`` package exposing a ``blueprint``;
the blueprints of the activated modules are registered here, as Odoo addons
carry their own controllers.
"""
import importlib
import importlib.util

from flask import Flask, session
from flask_wtf.csrf import CSRFProtect

from trytond import config

from .. import keys
from ..platform import modules

from . import accounts, auth, errors, extensions, i18n, profile, security
from .tryton import tryton
from .views import blueprint

__all__ = ["create_app", "blueprint", "accounts", "profile"]


def create_app(database):
    "Return the portal application serving the given database."
    app = Flask(__name__, static_folder=None)
    app.config.update(
        TRYTON_DATABASE=database,
        SECRET_KEY=keys.secret_key(),
        SESSION_COOKIE_NAME='portal_session',
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE='Lax',
        PERMANENT_SESSION_LIFETIME=config.getint(
            'portal', 'remember_seconds', default=30 * 24 * 60 * 60),
        MAX_CONTENT_LENGTH=config.getint(
            'portal', 'max_request_bytes', default=100 * 1024 * 1024),
        WTF_CSRF_TIME_LIMIT=None,
        )
    tryton.init_app(app)
    CSRFProtect(app)
    security.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    app.jinja_env.globals.update(here=auth.here)
    app.context_processor(lambda: {
            'menu_items': extensions.menu_of(session.get('roles') or ()),
            'stylesheets': extensions.for_app(extensions.stylesheets),
            })
    with app.app_context():
        activated = _activated_modules()
        app.config['PORTAL_MODULES'] = set(activated)
        for blueprint in _blueprints(activated):
            app.register_blueprint(blueprint)
    return app


@tryton.transaction(readonly=True)
def _activated_modules():
    Module = tryton.pool.get('ir.module')
    return [m.name for m in Module.search(
            [('state', '=', 'activated')], order=[('id', 'ASC')])]


def _blueprints(activated):
    "Yield the blueprint of each activated module that has a web package."
    for name in (m for m in modules() if m in activated):
        package = f'trytond.modules.{name}.web'
        if importlib.util.find_spec(package):
            # A web folder without its blueprint yet adds no pages
            web = importlib.import_module(package)
            blueprint = getattr(web, 'blueprint', None)
            if blueprint:
                yield blueprint
            # a module's other areas, under their own paths
            yield from getattr(web, 'blueprints', [])
