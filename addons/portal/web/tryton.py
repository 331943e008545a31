# This file is part of the insurance intermediary platform.
"""The Tryton binding shared by every module's portal pages."""
from flask_tryton import Tryton

tryton = Tryton()
