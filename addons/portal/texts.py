# This file is part of the insurance intermediary platform.
"""Portal texts sent outside the web pages (SMS), marked for the catalogs."""
from .i18n import N_

SMS_CODE = N_(
    "Your verification code is %(code)s. It is valid for %(minutes)s "
    "minutes.")
