# This file is part of the insurance intermediary platform.
"""Test case of the platform's modules: each module's database is its
dependency's cached database with the module activated on top."""
import contextlib
import os
import re
import tempfile

from lxml import etree

from trytond.modules.portal.platform import modules
from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

# free_port is defined in demo_pki, which also runs as a bare script on
# the standard library alone; the tests take it from here
from .demo_pki import free_port


def activate_chain(module):
    """Activate the module as the last link of the platform chain.

    The nearest cached link is restored and the links after it are
    activated one by one, each cached in turn; without a cache the module
    is activated at once, as Tryton does."""
    if not test_tryton.DB_CACHE:
        test_tryton.activate_module(module)
        return
    chain = modules()[:modules().index(module) + 1]
    start = 0
    for index in reversed(range(len(chain))):
        if test_tryton.restore_db_cache(chain[index]):
            start = index + 1
            break
    for link in chain[start:]:
        # the database exists after the first link: each is activated on it
        test_tryton.activate_module(link)


def seal_folder():
    "Return the folder of the demo seal's PKI: the repository's var/pki."
    return os.environ.get('PLATFORM_PKI') or os.path.join(
        os.path.dirname(__file__), '..', '..', '..', 'var', 'pki')


def configure_seal():
    "Seal the documents of the tests with the demo PKI and its local TSA."
    from . import demo_pki
    demo_pki.configure(seal_folder())


class ChainDatabase:
    "Prepare the test database along the platform chain, not at once."

    @classmethod
    def setUpClass(cls):
        configure_seal()
        # the test database is prepared here instead of _DBTestCase's
        super(test_tryton._DBTestCase, cls).setUpClass()
        test_tryton.drop_db()
        activate_chain(cls.module)


class PlatformTestCase(ChainDatabase, test_tryton._DBTestCase):
    """Test case of one part of a module on its database: without the
    checks every module runs once (its PlatformModuleTestCase does)."""


class PlatformModuleTestCase(ChainDatabase, ModuleTestCase):
    "Module test case activating along the platform chain"

    @with_transaction()
    def test_list_view_timestamps(self):
        "List views split a date-time into a date and a time column"
        # sao has no list column for date-time fields
        pool = Pool()
        View = pool.get('ir.ui.view')
        for view in View.search([('module', '=', self.module)]):
            root = view.inherit or view
            if root.type != 'tree':
                continue
            Model = pool.get(view.model)
            for node in etree.fromstring(view.arch).iter('field'):
                field = Model._fields.get(node.get('name'))
                if field is not None and field._type in {
                        'datetime', 'timestamp'}:
                    with self.subTest(view=view.rec_name,
                            field=node.get('name')):
                        self.assertIn(node.get('widget'), {'date', 'time'})


def outbox(template=None):
    "Return the messages of the outbox, oldest first, of the template."
    Email = Pool().get('portal.email')
    domain = [('template', '=', template)] if template else []
    return [e.parsed() for e in Email.search(domain, order=[('id', 'ASC')])
        if e.message]


def text_of(message):
    "Return the plain text part of a message."
    return message.get_body(preferencelist=('plain',)).get_content()


def one_time_code(message):
    "Return the 6-digit code an email carries."
    return re.search(r'(?<!\d)\d{6}(?!\d)', text_of(message)).group(0)


@contextlib.contextmanager
def smtp_server():
    """Run a real SMTP server on loopback as the configured one; yield the
    folder where it stores each message it receives as one .eml file."""
    from .mailcatcher import start
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        catcher = start(folder, port)
        try:
            with configured('email', 'uri', f'smtp://127.0.0.1:{port}'):
                yield folder
        finally:
            catcher.stop()


def received(folder):
    "Return the messages the SMTP server of smtp_server() stored."
    import email
    import email.policy
    messages = []
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), 'rb') as file:
            messages.append(email.message_from_binary_file(
                    file, policy=email.policy.default))
    return messages


@contextlib.contextmanager
def configured(section, option, value):
    "Set a configuration option for the block."
    from trytond import config
    parser = config._config
    if not parser.has_section(section):
        parser.add_section(section)
    previous = config.get(section, option)
    config.set(section, option, value)
    try:
        yield
    finally:
        if previous is None:
            parser.remove_option(section, option)
            config._cache_clear()
        else:
            config.set(section, option, previous)


def load_translations(module, languages=('it', 'fa')):
    "Load the module's Italian and Persian catalogs, as trytond-admin -l."
    import importlib.util

    import polib
    pool = Pool()
    Lang = pool.get('ir.lang')
    Translation = pool.get('ir.translation')
    folder = os.path.join(importlib.util.find_spec(
            f'trytond.modules.{module}').submodule_search_locations[0],
        'locale')
    Lang.write(Lang.search([('code', 'in', list(languages))]),
        {'translatable': True})
    for language in languages:
        # the module's own strings: those it gives other modules need theirs
        catalog = polib.pofile(os.path.join(folder, f'{language}.po'))
        own = polib.POFile()
        own.metadata = catalog.metadata
        own.extend(e for e in catalog
            if '.' not in (e.msgctxt or '').rsplit(':', 1)[-1])
        with tempfile.NamedTemporaryFile('w', suffix='.po') as file:
            file.write(str(own))
            file.flush()
            Translation.translation_import(language, module, [file.name])


@contextlib.contextmanager
def statements():
    """Collect the SQL statements run in the block, by every transaction of
    this process, on SQLite or PostgreSQL; yield the list (without the
    connection pool's empty health check, which is no statement)."""
    from trytond.backend.postgresql.database import LoggingCursor
    from trytond.backend.sqlite.database import SQLiteCursor
    found = []
    patched = []
    for cursor in [SQLiteCursor, LoggingCursor]:
        original = cursor.execute

        def execute(self, query, *args, _original=original, **kwargs):
            # the connection pool's health check runs an empty query
            if str(query).strip():
                found.append(query)
            return _original(self, query, *args, **kwargs)
        cursor.execute = execute
        patched.append((cursor, original))
    try:
        yield found
    finally:
        for cursor, original in patched:
            cursor.execute = original


def flip_byte(data):
    """Return the PDF with one byte changed inside what its last signature
    covers: a byte of the first stream, so the file still parses."""
    ranges = re.findall(
        rb'/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)', data)
    covered = int(ranges[-1][1]) if ranges else len(data)
    index = data.index(b'stream', data.index(b'obj')) + 20
    assert index < covered, "no stream in the signed part"
    changed = bytearray(data)
    changed[index] ^= 0x01
    return bytes(changed)


def _run_on(data, command):
    import subprocess
    with tempfile.NamedTemporaryFile(suffix='.pdf') as file:
        file.write(data)
        file.flush()
        result = subprocess.run(command + [file.name],
            check=False, capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout + result.stderr


def pdfsig(data):
    """Return poppler's pdfsig report of the PDF and whether it says every
    signature is valid and covers the whole document."""
    _, report = _run_on(data, ['pdfsig'])
    valid = report.count('Signature Validation: Signature is Valid.')
    whole = report.count('Total document signed')
    signatures = len(re.findall(r'^Signature #\d+:', report, re.MULTILINE))
    return bool(signatures) and valid == whole == signatures, report


def pyhanko_validate(data):
    """Return pyHanko's command-line validation of the PDF against the demo
    CA (signature and timestamp) and whether it judges it valid."""
    import shutil
    import sys
    command = shutil.which('pyhanko') or os.path.join(
        os.path.dirname(sys.executable), 'pyhanko')
    root = os.path.join(seal_folder(), 'root.cert.pem')
    code, report = _run_on(data, [command, 'sign', 'validate',
            '--trust', root, '--trust-replace', '--pretty-print'])
    valid = (code == 0 and 'The signature is judged VALID' in report
        and 'The timestamp token is cryptographically sound' in report
        and 'The TSA certificate is trusted' in report)
    return valid, report


class PortalClient:
    """A visitor of the portal application of the test database: pages are
    asked for and forms posted as a browser does, with the form's CSRF
    token and the session cookie."""

    def __init__(self, database_name=None, language='it'):
        from werkzeug.test import Client

        from trytond.modules.portal.web import create_app
        self.client = Client(create_app(
                database_name or test_tryton.DB_NAME))
        self.headers = {'Accept-Language': language}

    def get(self, path, **kwargs):
        "Return the response to a GET of the path."
        return self.client.get(path, headers=self.headers, **kwargs)

    def page(self, path):
        "Return the text of the page at the path, which must answer 200."
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.get_data(as_text=True)

    def post(self, path, data, form=None):
        """Post the data to the path with the CSRF token of the form page
        (the path itself unless given); return the response."""
        page = self.get(form or path).get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        return self.client.post(path, headers=self.headers,
            data={'csrf_token': token.group(1), **data})

    def login(self, email, password):
        "Log in; return the path the portal sends to."
        response = self.post('/login', {'login': email, 'password': password})
        assert response.status_code == 302, response.status_code
        return response.headers['Location']


def scenarios(module_file):
    """Return a test case with one test per ``scenario_*.rst`` beside the
    module file, each run as Tryton's load_doc_tests runs it (its own
    database, dropped after), so pytest and unittest both run them."""
    import doctest
    import glob
    import io
    import unittest

    from trytond import backend

    flags = (doctest.REPORT_ONLY_FIRST_FAILURE | doctest.ELLIPSIS
        | doctest.IGNORE_EXCEPTION_DETAIL)
    if backend.name == 'sqlite':
        flags |= test_tryton.STRIP_DECIMAL

    def runner(path):
        def test(self):
            configure_seal()
            suite = doctest.DocFileSuite(path, module_relative=False,
                setUp=test_tryton.doctest_setup,
                tearDown=test_tryton.doctest_teardown, encoding='utf-8',
                checker=test_tryton.doctest_checker, optionflags=flags)
            output = io.StringIO()
            result = unittest.TextTestRunner(stream=output).run(suite)
            if not result.wasSuccessful():
                self.fail(output.getvalue())
        test.__doc__ = f"Scenario {os.path.basename(path)}"
        return test

    folder = os.path.dirname(os.path.abspath(module_file))
    tests = {
        f'test_{os.path.basename(path)[len("scenario_"):-len(".rst")]}':
            runner(path)
        for path in sorted(glob.glob(os.path.join(folder, 'scenario_*.rst')))}
    return type('ScenarioTestCase', (unittest.TestCase,), tests)


def platform_languages(config):
    """Load the Italian and Persian translations of every activated module,
    as ``trytond-admin -l it fa`` does on a production database (a setup
    step of activate_modules in the scenarios)."""
    from proteus import Model
    Lang = Model.get('ir.lang', config=config)
    Lang.click(Lang.find([('code', 'in', ['it', 'fa'])]), 'load_translations')


def pdf_bytes(*lines):
    "Return a one-page PDF with each line as text."
    import io

    from reportlab.pdfgen import canvas
    output = io.BytesIO()
    page = canvas.Canvas(output)
    for number, line in enumerate(lines or ["Documento"]):
        page.drawString(100, 750 - 18 * number, line)
    page.save()
    return output.getvalue()


def xlsx_bytes(*lines):
    "Return a workbook of one sheet with each line in a row of column A."
    import io

    import xlsxwriter
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {'in_memory': True})
    sheet = workbook.add_worksheet()
    for number, line in enumerate(lines or ["Documento"]):
        sheet.write(number, 0, line)
    workbook.close()
    return output.getvalue()


def upload(name, data):
    "Return a file of a form posted with PortalClient.post."
    import io
    return (io.BytesIO(data), name)
