# This file is part of the insurance intermediary platform.
"""Sending SMS through the configured gateway.

``[sms] gateway = file`` (development) writes each message as one file in
``[sms] outbox``, by default the ``sms`` folder beside the databases' folder;
``[sms] gateway = http`` posts ``{"to", "text", "sender"}`` as JSON to
``[sms] url`` with the ``[sms] token`` as bearer authorization.
"""
import datetime as dt
import json
import logging
import os
import urllib.request
from secrets import token_hex

from trytond import config
from trytond.i18n import gettext
from trytond.model import Model

from .exceptions import SMSError

logger = logging.getLogger(__name__)


class SMS(Model):
    "SMS Gateway"
    __name__ = 'portal.sms'

    @classmethod
    def send(cls, number, text):
        "Send the text to the number (E.164) through the gateway."
        gateway = config.get('sms', 'gateway', default='file')
        if gateway == 'http':
            cls._send_http(number, text)
        else:
            cls._send_file(number, text)

    @classmethod
    def outbox(cls):
        folder = config.get('sms', 'outbox')
        if not folder:
            folder = os.path.join(os.path.dirname(
                    config.get('database', 'path').rstrip(os.sep)), 'sms')
        return folder

    @classmethod
    def _send_file(cls, number, text):
        folder = cls.outbox()
        os.makedirs(folder, exist_ok=True)
        now = dt.datetime.now()
        name = (f"{now:%Y%m%dT%H%M%S%f}-{number.lstrip('+')}-"
            f"{token_hex(4)}.txt")
        with open(os.path.join(folder, name), 'w', encoding='utf-8') as file:
            file.write(f"To: {number}\nDate: {now.isoformat()}\n\n{text}\n")

    @classmethod
    def _send_http(cls, number, text):
        data = json.dumps({
                'to': number, 'text': text,
                'sender': config.get('sms', 'sender', default=''),
                }).encode()
        request = urllib.request.Request(
            config.get('sms', 'url'), data=data, method='POST',
            headers={'Content-Type': 'application/json'})
        token = config.get('sms', 'token')
        if token:
            request.add_header('Authorization', f'Bearer {token}')
        try:
            with urllib.request.urlopen(
                    request, timeout=config.getint(
                        'sms', 'timeout', default=10)) as response:
                response.read()
        except OSError as exception:
            logger.warning("SMS to %s failed: %s", number, exception)
            raise SMSError(gettext('portal.msg_sms_failed')) from exception
