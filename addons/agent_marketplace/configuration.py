# This file is part of the insurance intermediary platform.
"""The marketplace's settings: trial length, reminders and licence
warnings."""
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "Marketplace Configuration"
    __name__ = 'marketplace.configuration'

    trial_days = fields.Integer(
        "Trial Days", required=True,
        help="The days of the free trial a new agent starts with.")
    reminder_hours = fields.Integer(
        "Reminder Hours", required=True,
        help="A request unanswered after these hours is reminded to its "
        "agents.")
    renewal_days = fields.Integer(
        "Renewal Reminder Days", required=True,
        help="The days before the end of a subscription when the agent is "
        "reminded to renew it.")
    licence_warning_days = fields.Integer(
        "Licence Warning Days", required=True,
        help="The days before a licence expires when the agent is asked "
        "for new documents.")

    @classmethod
    def default_trial_days(cls):
        return 14

    @classmethod
    def default_reminder_hours(cls):
        return 24

    @classmethod
    def default_renewal_days(cls):
        return 7

    @classmethod
    def default_licence_warning_days(cls):
        return 30
