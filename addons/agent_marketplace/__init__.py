# This file is part of the insurance intermediary platform.
"""Agent marketplace: verified agents, subscriptions, requests and offers."""
