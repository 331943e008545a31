# This file is part of the insurance intermediary platform.
"""What the platform modules add to the portal shell.

``dashboard_section``: a callable taking the web user and returning a dict
with the ``template`` to include and the values it needs; it runs inside the
dashboard's restricted transaction, for the web users of its ``role``.
``menu_item``: an entry of the navigation shown to logged-in visitors, or
only to those who hold its ``role``.
``role``: a callable taking the web user and telling whether it holds the
role of its name (an agent of the marketplace); the services the web user
came for (``web.user.portal_services``: the intermediary's, the
marketplace's) are roles too. The roles are read once, as the session
starts.
``welcome_section``: a template a module includes in the welcome page that
visitors see, first in the languages it leads in (the marketplace in
Persian).
``stylesheet``: a module's style sheet, linked from every page after the
shell's own.
``view_guard``: a callable taking the web user, run inside the transaction
of every restricted view before the view itself; when it returns a response
the view does not run (the consent registry asks the forms a step needs).

Registrations are made when a module's web package is imported; an
application uses those of the modules activated in its database only
(``for_app``), so one process may serve databases with other modules.
"""
from dataclasses import dataclass

from flask import current_app

dashboard_sections = []
menu_items = []
roles = {}
stylesheets = []
view_guards = []
welcome_sections = []


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    label: str  # English message id, translated when shown
    sequence: int = 50
    role: str = None  # shown only to the web users holding it


def dashboard_section(func=None, role=None):
    "Register a dashboard section (shown to the web users of the role)."
    if func is None:
        return lambda func: dashboard_section(func, role)
    func.role = role
    dashboard_sections.append(func)
    return func


def dashboard_of(held):
    "Return the application's dashboard sections for a visitor's roles."
    return [section for section in for_app(dashboard_sections)
        if section.role is None or section.role in held]


def menu_item(endpoint, label, sequence=50, role=None):
    "Register a navigation entry for logged-in visitors (of the role)."
    menu_items.append(MenuItem(endpoint, label, sequence, role))
    menu_items.sort(key=lambda item: item.sequence)


def role(name):
    "Register the callable telling whether a web user holds the role."
    def register(func):
        roles[name] = func
        return func
    return register


def roles_of(user):
    """Return the names of the roles the web user holds in this application,
    the services it came for included."""
    served = set(for_app(list(roles.values())))
    return sorted({name for name, func in roles.items()
            if func in served and func(user)} | user.portal_services())


def menu_of(held):
    "Return the application's menu entries for a visitor holding the roles."
    return [item for item in for_app(menu_items)
        if item.role is None or item.role in held]


@dataclass
class WelcomeSection:
    template: str
    module: str
    sequence: int = 50
    leads_in: tuple = ()  # the languages in which it comes first


def welcome_section(template, sequence=50, leads_in=()):
    "Register a section of the welcome page."
    welcome_sections.append(WelcomeSection(
            template, template.split('/')[0], sequence, tuple(leads_in)))


def welcome_of(language):
    "Return the templates of the welcome page, in the language's order."
    modules = current_app.config.get('PORTAL_MODULES')
    sections = [s for s in welcome_sections
        if modules is None or s.module in modules]
    return [s.template for s in sorted(sections, key=lambda s: (
                language not in s.leads_in, s.sequence))]


def stylesheet(endpoint, filename):
    "Register a style sheet served by the static endpoint of a blueprint."
    stylesheets.append((endpoint, filename))


def view_guard(func):
    "Register a guard of the restricted views."
    view_guards.append(func)
    return func


def _module(func):
    "Return the platform module a function belongs to, if any."
    parts = func.__module__.split('.')
    return parts[2] if parts[:2] == ['trytond', 'modules'] else None


def for_app(entries):
    """Return the entries of the modules the current application serves:
    endpoints of its blueprints, functions of its activated modules."""
    modules = current_app.config.get('PORTAL_MODULES')
    blueprints = current_app.blueprints

    def served(entry):
        if callable(entry):
            module = _module(entry)
            return modules is None or module is None or module in modules
        endpoint = entry.endpoint if isinstance(entry, MenuItem) else entry[0]
        return endpoint.split('.')[0] in blueprints
    return [e for e in entries if served(e)]
