"""Settings that depend on where the repository lies, for every script."""
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONFIG = ROOT / 'config' / 'trytond.conf'


def setup(config=CONFIG, listen='127.0.0.1:8000', mail_port=8025):
    """Point Tryton at the configuration and at the repository's folders;
    the server's address and the mail catcher's port give the links in
    emails and the SMTP server, unless the environment sets them."""
    os.environ['TRYTOND_CONFIG'] = str(config)
    base = f'http://{listen}'
    for option, value in [
            ('WEB__LISTEN', listen),
            ('WEB__EMAIL_VALIDATION_URL', f'{base}/portal/confirm'),
            ('WEB__RESET_PASSWORD_URL', f'{base}/portal/reset'),
            ('PORTAL__URL', f'{base}/portal'),
            ('EMAIL__URI', f'smtp://127.0.0.1:{mail_port}'),
            ]:
        os.environ.setdefault(f'TRYTOND_{option}', value)
    os.environ.setdefault('TRYTOND_DATABASE__PATH', str(ROOT / 'var' / 'db'))
    os.environ.setdefault(
        'TRYTOND_WEB__ROOT', str(ROOT / 'node_modules' / 'tryton-sao'))
    pathlib.Path(os.environ['TRYTOND_DATABASE__PATH']).mkdir(
        parents=True, exist_ok=True)
    demo_seal(config)


PKI = ROOT / 'var' / 'pki'


def demo_seal(config=CONFIG):
    """Seal with the demo PKI (var/pki, made on first use) and its RFC 3161
    time-stamping authority served on loopback by this process, unless the
    environment or the configuration names a seal certificate."""
    import configparser
    parsed = configparser.ConfigParser(interpolation=None)
    parsed.read(config)
    if os.environ.get('TRYTOND_SEAL__CERTIFICATE') or parsed.get(
            'seal', 'certificate', fallback=None):
        return
    import sys
    sys.path.insert(0, str(ROOT / 'addons' / 'portal' / 'tests'))
    import demo_pki
    os.environ.update(demo_pki.setup(PKI))


SOURCES = ['addons/**/*.py', 'addons/**/*.xml', 'addons/**/*.cfg',
    'addons/**/*.po', 'scripts/build_demo.py', 'var/pki/root.cert.pem']


def source_hash():
    "Return a short hash of what a built database depends on."
    import hashlib
    import sys
    # the demo's documents are sealed by its PKI: a new one, a new build
    sys.path.insert(0, str(ROOT / 'addons' / 'portal' / 'tests'))
    import demo_pki
    demo_pki.ensure(PKI)
    digest = hashlib.sha256()
    for pattern in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
