# This file is part of the insurance intermediary platform.
"""The one way the platform writes an email.

``send`` renders a template of any module (``templates/<module>/email/``),
in the recipient's language and with every value escaped for HTML, and
puts the message in the outbox (``portal.email``): it is sent after the
transaction commits and retried until the SMTP server takes it. A
template's ``<title>`` is the subject; the text part is taken from the
HTML; the shared layout is ``portal/email/base.html``.
"""
import importlib.util
import mimetypes
import os
from email.errors import HeaderParseError, InvalidHeaderDefect
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from functools import cache, partial

import jinja2
import lxml.html

from trytond import config
from trytond.pool import Pool
from trytond.tools.email_ import set_from_header
from trytond.url import host

from . import formats
from .i18n import direction, gettext
from .platform import modules

# the HTML blocks that end a paragraph of the text part
BLOCKS = ('p', 'blockquote', 'li', 'tr', 'h1', 'h2', 'h3', 'div', 'table')


@cache
def environment():
    "Return the template environment over every module's templates."
    folders = []
    for module in modules():
        spec = importlib.util.find_spec(f'trytond.modules.{module}')
        if spec:
            folder = os.path.join(
                spec.submodule_search_locations[0], 'templates')
            if os.path.isdir(folder):
                folders.append(folder)
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders), autoescape=True,
        undefined=jinja2.StrictUndefined)


def portal_url(path=''):
    "Return the absolute address of a portal path."
    return config.get('portal', 'url', default='').rstrip('/') + path


def render(template, language, **values):
    "Return the subject, text and HTML of the email template."
    html = environment().get_template(template).render(
        _=partial(gettext, language=language), lang=language,
        dir=direction(language), portal_url=portal_url,
        amount=partial(formats.format_amount, language=language),
        number=partial(formats.format_number, language=language),
        date=partial(formats.format_date, language=language),
        datetime=partial(formats.format_datetime, language=language),
        **values)
    document = lxml.html.document_fromstring(html)
    subject = ' '.join(document.findtext('.//title').split())
    body = document.find('body')
    for block in body.iter(*BLOCKS):
        block.tail = '\n\n' + (block.tail or '')
    for cell in body.iter('th'):
        cell.tail = ': ' + (cell.tail or '')
    for line_break in body.iter('br'):
        line_break.tail = '\n' + (line_break.tail or '')
    for link in body.iter('a'):
        # the text part shows the address of a link on a line of its own
        href = link.get('href')
        if href and href != link.text_content().strip():
            link.tail = f'\n{href}\n' + (link.tail or '')
    text = '\n'.join(
        ' '.join(line.split()) for line in body.text_content().splitlines())
    while '\n\n\n' in text:
        text = text.replace('\n\n\n', '\n\n')
    return subject, text.strip() + '\n', html


def addresses(value):
    "Return the addresses of a string or a list as a header value."
    if not value:
        return None
    if isinstance(value, str):
        value = [a.strip() for a in value.split(',')]
    return ', '.join(_address(a) for a in value if a)


def _address(address):
    "Return the address as a header writes it; a local name stays as it is."
    try:
        return str(Address(addr_spec=address))
    except (ValueError, IndexError, HeaderParseError, InvalidHeaderDefect):
        return address


def compose(to, template, language, cc=None, reply_to=None,
        attachments=(), headers=None, **values):
    "Return the message of the template for the recipients."
    subject, text, html = render(template, language, **values)
    message = EmailMessage()
    from_ = config.get('email', 'from')
    set_from_header(message, from_, from_)
    message['To'] = addresses(to)
    if cc:
        message['Cc'] = addresses(cc)
    message['Reply-To'] = reply_to or from_
    message['Subject'] = subject
    message['Date'] = formatdate(localtime=True)
    message['Message-ID'] = make_msgid(domain=host())
    message['Auto-Submitted'] = 'auto-generated'
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    message.add_alternative(html, subtype='html')
    for attachment in attachments:
        name, data = attachment[:2]
        mime_type = (attachment[2] if len(attachment) > 2 else None) or (
            mimetypes.guess_type(name)[0] or 'application/octet-stream')
        maintype, subtype = mime_type.split('/', 1)
        message.add_attachment(
            bytes(data), maintype=maintype, subtype=subtype, filename=name)
    return message


def send(to, template, language, cc=None, reply_to=None, attachments=(),
        headers=None, resource=None, transient=False, **values):
    """Queue the email of the template to the recipients; return the
    outbox record. ``transient`` emails carry a secret (a link, a code):
    their content is dropped once sent."""
    Email = Pool().get('portal.email')
    message = compose(to, template, language, cc=cc, reply_to=reply_to,
        attachments=attachments, headers=headers, **values)
    return Email.queue(message, template=template, language=language,
        resource=resource, transient=transient)
