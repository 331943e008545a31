# This file is part of the insurance intermediary platform.
"""Consent registry: versioned forms and an append-only trail of consents."""
