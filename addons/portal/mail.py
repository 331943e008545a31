# This file is part of the insurance intermediary platform.
"""Emails of the portal, rendered in the recipient's language.

Templates live in ``templates/portal/email``; their ``<title>`` is the
subject; the text part is taken from the HTML.
"""
import os
from email.message import EmailMessage
from functools import partial

import jinja2
import lxml.html

from trytond import config
from trytond.sendmail import send_message_transactional
from trytond.tools.email_ import set_from_header

from .i18n import DEFAULT_LANGUAGE, LANGUAGES, RIGHT_TO_LEFT, gettext

environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(
        os.path.join(os.path.dirname(__file__), 'templates')),
    autoescape=True)


def language_of(party):
    "Return the portal language of the party."
    code = party.lang.code if party and party.lang else None
    code = (code or '').split('_')[0]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def portal_url(path=''):
    "Return the absolute address of a portal path."
    return config.get('portal', 'url', default='').rstrip('/') + path


def render(template, language, **values):
    "Return the subject, text and HTML of the email template."
    html = environment.get_template(f'portal/email/{template}.html').render(
        _=partial(gettext, language=language), lang=language,
        dir='rtl' if language in RIGHT_TO_LEFT else 'ltr',
        portal_url=portal_url, **values)
    document = lxml.html.document_fromstring(html)
    subject = document.findtext('.//title').strip()
    body = document.find('body')
    for block in body.iter('p', 'blockquote'):
        block.tail = '\n\n' + (block.tail or '')
    text = '\n'.join(
        line.strip() for line in body.text_content().splitlines())
    while '\n\n\n' in text:
        text = text.replace('\n\n\n', '\n\n')
    return subject, text.strip() + '\n', html


def send(to, template, language, **values):
    "Send the email when the transaction commits."
    subject, text, html = render(template, language, **values)
    message = EmailMessage()
    from_ = config.get('email', 'from')
    set_from_header(message, from_, from_)
    message['To'] = to
    message['Subject'] = subject
    message.set_content(text)
    message.add_alternative(html, subtype='html')
    send_message_transactional(message)
