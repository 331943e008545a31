# This file is part of the insurance intermediary platform.
"""The platform's own modules, read once from the installed package.

Every list of modules (the demo build, the catalogs, the test chain, the
portal's blueprints, the production install) comes from here: the
``trytond.modules`` entry points of this distribution, ordered so that each
module follows the modules it depends on.

    platform-install -c trytond.conf -d platform [-l it fa]

activates every module of the platform (and what they depend on) in a
database, as the production stack's first run does.
"""
import argparse
import os
import subprocess
import sys
from functools import cache
from importlib.metadata import entry_points

DISTRIBUTION = 'insurance-intermediary'
LANGUAGES = ['it', 'fa']


@cache
def modules():
    "Return the platform's module names, each after its dependencies."
    from trytond.modules import get_module_info
    names = sorted(
        ep.name for ep in entry_points(group='trytond.modules')
        if ep.dist and ep.dist.name == DISTRIBUTION)
    depends = {
        name: set(get_module_info(name).get('depends', [])) & set(names)
        for name in names}
    ordered = []
    while depends:
        ready = sorted(n for n, d in depends.items() if d <= set(ordered))
        if not ready:
            raise RuntimeError(f"circular module dependencies: {depends}")
        ordered += ready
        for name in ready:
            del depends[name]
    return tuple(ordered)


def install(database, config=None, languages=LANGUAGES, email=None,
        env=None):
    "Activate every platform module in the database with trytond-admin."
    command = [
        os.path.join(os.path.dirname(sys.executable), 'trytond-admin'),
        '-d', database, '-u', *modules(), '--activate-dependencies',
        '-l', *languages]
    if config:
        command[1:1] = ['-c', config]
    if email:
        command += ['--email', email]
    subprocess.run(command, check=True, env=env)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Activate every module of the platform in a database.")
    parser.add_argument('-c', '--config', dest='config',
        default=os.environ.get('TRYTOND_CONFIG'))
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('-l', '--language', dest='languages', nargs='+',
        default=LANGUAGES)
    parser.add_argument('--email', help="the administrator's email")
    options = parser.parse_args(argv)
    install(options.database, options.config, options.languages,
        options.email)
    return 0


if __name__ == '__main__':
    sys.exit(main())
