# This file is part of the insurance intermediary platform.
"""Insurance tickets: condominium quote requests from request to signature."""
