# This file is part of the insurance intermediary platform.
"""Customer portal: web users, sign-up, login and the portal web shell."""
