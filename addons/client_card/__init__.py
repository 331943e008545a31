# This file is part of the insurance intermediary platform.
"""Client card: the paperless client file, its exports and quote data."""
