# This file is part of the insurance intermediary platform.
"""Dashboard sections contributed by the platform modules.

A section is a callable taking the web user and returning a dict with the
``template`` to include and the values it needs.
"""
sections = []


def section(func):
    "Register a dashboard section."
    sections.append(func)
    return func
