"""Each folder of ``addons/`` is the Tryton module ``trytond.modules.<name>``.

The metadata is in ``pyproject.toml``; this file only discovers the modules'
packages and declares each module's ``trytond.modules`` entry point, so a
new module needs no line anywhere but its own folder, and the operations
commands.
"""
from setuptools import find_packages, setup

PREFIX = 'trytond.modules.'
packages = find_packages('addons')
modules = sorted(p for p in packages if '.' not in p)

# the operations commands; each also runs as python -m <module>
COMMANDS = {
    'platform-install': 'portal.platform',
    'platform-replica': 'portal.replica',
    'platform-consent-verify': 'consent_registry.verify',
    'platform-ticket-verify': 'insurance_ticket.verify',
    'platform-ticket-inbound': 'insurance_ticket.inbound',
    'platform-card-export': 'client_card.export',
    }

setup(
    packages=[PREFIX + p for p in packages],
    package_dir={PREFIX + p: 'addons/' + p.replace('.', '/') for p in packages},
    entry_points={
        'trytond.modules': [f'{m} = {PREFIX}{m}' for m in modules],
        'console_scripts': [
            f'{name} = {PREFIX}{target}:main'
            for name, target in COMMANDS.items()],
        },
    )
