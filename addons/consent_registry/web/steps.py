# This file is part of the insurance intermediary platform.
"""Which portal requests are quote or contract steps.

Each rule is an endpoint pattern (``fnmatch`` syntax, ``<blueprint>.<view>``)
and the HTTP methods it covers (None: every method). A logged-in client
with a mandatory consent pending (a changed form not given yet) is sent to
the re-consent page before any request matching a rule. Add a rule here
when a module adds a quote or contract step; other modules need no change.
"""
from fnmatch import fnmatchcase

GUARDED_STEPS = (
    # Tickets: opening one (a quote request) and every action on them
    # (messages, questionnaire, acceptance of a quote, signature).
    ('insurance_ticket.new*', None),
    ('insurance_ticket.*', {'POST'}),
    # The quote data collection of the client card.
    ('client_card.quote*', None),
    # Marketplace requests and the acceptance of an agent's offer.
    ('agent_marketplace.request*', {'POST'}),
    ('agent_marketplace.*accept*', {'POST'}),
    )

# Requests never interrupted by the re-consent page.
EXEMPT = (
    'consent_registry.*', '*static', 'portal.login', 'portal.logout',
    'portal.language', 'portal.health*', 'portal.confirm*', 'portal.reset*',
    'portal.signup*',
    )


def _matches(endpoint, patterns):
    return any(fnmatchcase(endpoint, p) for p in patterns)


def is_guarded(endpoint, method):
    "Tell whether the request is a quote or contract step."
    return any(fnmatchcase(endpoint, pattern)
        and (methods is None or method in methods)
        for pattern, methods in GUARDED_STEPS)


def is_exempt(endpoint):
    return _matches(endpoint, EXEMPT)
