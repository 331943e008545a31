# This file is part of the insurance intermediary platform.
"""Which portal requests are quote or contract steps.

A module declares its own steps from its ``web`` package::

    steps.guard('insurance_ticket.create', {'POST'}, 'quote')

A step is a pattern (``fnmatch`` syntax on ``<blueprint>.<view>``, followed
by ``/<action>`` for views that take an action), the HTTP methods it covers
(None: every method) and the moment of the forms it needs answered (see
``consent.form``; None: no form beyond those already answered). The first
matching step decides, in the order the modules declared them. A logged-in
client with a mandatory form pending for the step (changed, or due and
never answered) answers it first, and the step then goes on.
"""
from fnmatch import fnmatchcase

STEPS = []
# Requests never interrupted by the consent forms: the forms themselves.
EXEMPT = ['consent_registry.*', '*.static']


def guard(pattern, methods=None, moment=None):
    "Declare the requests matching the pattern a step needing the moment."
    STEPS.append((pattern, frozenset(methods) if methods else None, moment))


def exempt(pattern):
    "Declare the requests matching the pattern never interrupted."
    EXEMPT.append(pattern)


def step(endpoint, method, action=None):
    """Return whether the request is a quote or contract step, and the
    moment of the forms it needs."""
    name = f'{endpoint}/{action}' if action else endpoint
    for pattern, methods, moment in STEPS:
        if fnmatchcase(name, pattern) and (
                methods is None or method in methods):
            return True, moment
    return False, None


def is_exempt(endpoint):
    return any(fnmatchcase(endpoint, p) for p in EXEMPT)
