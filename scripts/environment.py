"""Settings that depend on where the repository lies, for every script."""
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONFIG = ROOT / 'config' / 'trytond.conf'


def setup(config=CONFIG):
    "Point Tryton at the configuration and at the repository's folders."
    os.environ['TRYTOND_CONFIG'] = str(config)
    os.environ.setdefault('TRYTOND_DATABASE__PATH', str(ROOT / 'var' / 'db'))
    os.environ.setdefault(
        'TRYTOND_WEB__ROOT', str(ROOT / 'node_modules' / 'tryton-sao'))
    pathlib.Path(os.environ['TRYTOND_DATABASE__PATH']).mkdir(
        parents=True, exist_ok=True)


SOURCES = ['addons/**/*.py', 'addons/**/*.xml', 'addons/**/*.cfg',
    'addons/**/*.po', 'scripts/build_demo.py']


def source_hash():
    "Return a short hash of what a built database depends on."
    import hashlib
    digest = hashlib.sha256()
    for pattern in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
