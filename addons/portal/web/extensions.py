# This file is part of the insurance intermediary platform.
"""What the platform modules add to the portal shell.

``dashboard_section``: a callable taking the web user and returning a dict
with the ``template`` to include and the values it needs; it runs inside the
dashboard's restricted transaction.
``menu_item``: an entry of the navigation shown to logged-in visitors.
``stylesheet``: a module's style sheet, linked from every page after the
shell's own.
``view_guard``: a callable taking the web user, run inside the transaction
of every restricted view before the view itself; when it returns a response
the view does not run (the consent registry asks the forms a step needs).
"""
from dataclasses import dataclass

dashboard_sections = []
menu_items = []
stylesheets = []
view_guards = []


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    label: str  # English message id, translated when shown
    sequence: int = 50


def dashboard_section(func):
    "Register a dashboard section."
    dashboard_sections.append(func)
    return func


def menu_item(endpoint, label, sequence=50):
    "Register a navigation entry for logged-in visitors."
    menu_items.append(MenuItem(endpoint, label, sequence))
    menu_items.sort(key=lambda item: item.sequence)


def stylesheet(endpoint, filename):
    "Register a style sheet served by the static endpoint of a blueprint."
    stylesheets.append((endpoint, filename))


def view_guard(func):
    "Register a guard of the restricted views."
    view_guards.append(func)
    return func
