# This file is part of the insurance intermediary platform.
"""Which portal requests are quote or contract steps.

Each rule is a step pattern (``fnmatch`` syntax on ``<blueprint>.<view>``,
followed by ``/<action>`` for views that take an action), the HTTP methods
it covers (None: every method) and the moment of the forms the step needs
answered (see ``consent.form``; None: no form beyond those already
answered). The first matching rule decides. A logged-in client with a
mandatory form pending for the step (changed, or due and never answered)
is sent to the consent review first. Add a rule here when a module adds a
quote or contract step; other modules need no change.
"""
from fnmatch import fnmatchcase

GUARDED_STEPS = (
    # Tickets: opening one is a quote request; accepting a quote and
    # signing the policy make the contract; every other action on a ticket
    # (messages, questionnaire) waits for the changed forms only.
    ('insurance_ticket.new', None, 'quote'),
    ('insurance_ticket.create', {'POST'}, 'quote'),
    ('insurance_ticket.act/accept', {'POST'}, 'contract'),
    ('insurance_ticket.sign*', {'POST'}, 'contract'),
    ('insurance_ticket.*', {'POST'}, None),
    # The quote data collection of the client card.
    ('client_card.quote*', None, 'quote'),
    # Marketplace requests and the acceptance of an agent's offer.
    ('agent_marketplace.request*', {'POST'}, 'quote'),
    ('agent_marketplace.*accept*', {'POST'}, 'contract'),
    )

# Requests never interrupted by the re-consent page.
EXEMPT = (
    'consent_registry.*', '*static', 'portal.login', 'portal.logout',
    'portal.language', 'portal.health*', 'portal.confirm*', 'portal.reset*',
    'portal.signup*',
    )


def _matches(endpoint, patterns):
    return any(fnmatchcase(endpoint, p) for p in patterns)


def step(endpoint, method, action=None):
    """Return whether the request is a quote or contract step, and the
    moment of the forms it needs."""
    name = f'{endpoint}/{action}' if action else endpoint
    for pattern, methods, moment in GUARDED_STEPS:
        if fnmatchcase(name, pattern) and (
                methods is None or method in methods):
            return True, moment
    return False, None


def is_exempt(endpoint):
    return _matches(endpoint, EXEMPT)
