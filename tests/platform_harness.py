"""A real platform for the end-to-end tests: a database built with the
demo data (cached by source hash), the mail catcher on a free port and the
server in its own process."""
import configparser
import contextlib
import email
import email.policy
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'scripts'))
from environment import source_hash  # noqa: E402

from trytond.modules.portal.tests.tools import free_port  # noqa: E402

VAR = ROOT / 'var' / 'test'


def is_postgresql():
    return os.environ.get('TRYTOND_DATABASE__URI', '').startswith('postgres')


class Mailbox:
    "The messages the mail catcher stored, parsed."

    def __init__(self, folder):
        self.folder = pathlib.Path(folder)

    def messages(self):
        result = []
        for path in sorted(self.folder.glob('*.eml')):
            with path.open('rb') as file:
                result.append(email.message_from_binary_file(
                        file, policy=email.policy.default))
        return result

    def wait_for(self, to, subject='', timeout=20):
        "Return the newest message to the address with the subject part."
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(self.messages()):
                recipients = message.get('X-Envelope-To', '')
                if (to.lower() in recipients.lower()
                        and subject in str(message['Subject'])):
                    return message
            time.sleep(0.2)
        raise AssertionError(f"No email to {to} with subject {subject!r}")


class Platform:
    "Build, start and stop the platform for a test session."

    def __init__(self, name='e2e'):
        name = f'{name}_{os.getpid()}'
        self.name = name
        self.database = f'test_{name}'
        self.folder = VAR / name
        self.port = free_port()
        self.mail_port = free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        self.mailbox = Mailbox(self.folder / 'mail')
        self.process = self.catcher = None

    def environment(self):
        env = dict(os.environ)
        for key in ('DB_NAME', 'DB_CACHE'):
            env.pop(key, None)
        env['TRYTOND_DATABASE__PATH'] = str(self.folder / 'db')
        env['TRYTOND_CONFIG'] = str(self.config_path)
        return env

    @property
    def config_path(self):
        return self.folder / 'trytond.conf'

    def write_config(self):
        config = configparser.ConfigParser(interpolation=None)
        config.read(ROOT / 'config' / 'trytond.conf')
        config['email']['uri'] = f'smtp://127.0.0.1:{self.mail_port}'
        config['web']['email_validation_url'] = f'{self.url}/portal/confirm'
        config['web']['reset_password_url'] = f'{self.url}/portal/reset'
        config['portal']['url'] = f'{self.url}/portal'
        # as behind one reverse proxy: tests may send X-Forwarded-* headers
        config['web']['num_proxies'] = '1'
        # the tests run the queue cron themselves, right after a failure
        config['queue'] = {'cron_grace': '0'}
        config['portal']['email_retry_seconds'] = '0'
        with self.config_path.open('w') as file:
            config.write(file)

    def build(self):
        "Make the test database from the cached demo build."
        backend = 'postgresql' if is_postgresql() else 'sqlite'
        cached = f'cache_demo_{backend}_{source_hash()}'
        if not self.exists(cached):
            building = f'{cached}_{os.getpid()}'
            self.run_build(building)
            self.rename(building, cached)
            self.drop_stale(cached)
        self.copy(cached, self.database)

    def drop_stale(self, current):
        "Drop the cached builds of older sources."
        prefix = current[:-12]
        stale = re.compile(re.escape(prefix) + '[0-9a-f]{12}$')
        for folder in (VAR / 'cache', VAR / 'replica'):
            for path in folder.glob(prefix + '*'):
                if stale.match(path.stem) and path.stem != current:
                    if path.is_dir():
                        shutil.rmtree(path)
                    else:
                        path.unlink()
        if is_postgresql():
            import psycopg
            with psycopg.connect(self.postgresql_uri('postgres'),
                    autocommit=True) as connection:
                for name in self.postgresql_databases():
                    if stale.match(name) and name != current:
                        connection.execute(
                            f'DROP DATABASE "{name}" WITH (FORCE)')

    def run_build(self, name):
        subprocess.run([sys.executable, str(ROOT / 'scripts/build_demo.py'),
                '--database', name, '--rebuild',
                '--config', str(self.config_path)],
            check=True, env=self.cache_environment(), cwd=ROOT,
            stdout=subprocess.DEVNULL)

    def rename(self, source, target):
        """Publish a finished build under its cache name; when another run
        built the same sources first, keep its build and drop this one."""
        taken = self.exists(target)
        for folder in (VAR / 'cache', VAR / 'replica'):
            if (folder / source).exists():
                if taken:
                    shutil.rmtree(folder / source)
                else:
                    os.replace(folder / source, folder / target)
        if is_postgresql():
            import psycopg
            with psycopg.connect(self.postgresql_uri('postgres'),
                    autocommit=True) as connection:
                connection.execute(f'DROP DATABASE "{source}" WITH (FORCE)'
                    if taken else
                    f'ALTER DATABASE "{source}" RENAME TO "{target}"')
        elif taken:
            (VAR / 'cache' / f'{source}.sqlite').unlink()
        else:
            os.replace(VAR / 'cache' / f'{source}.sqlite',
                VAR / 'cache' / f'{target}.sqlite')

    def cache_environment(self):
        env = self.environment()
        env['TRYTOND_DATABASE__PATH'] = str(VAR / 'cache')
        return env

    def exists(self, name):
        if is_postgresql():
            return name in self.postgresql_databases()
        return (VAR / 'cache' / f'{name}.sqlite').exists()

    def copy(self, source, target):
        "Copy the cached database, its stored files and their replica."
        for cache, folder in [
                (VAR / 'cache', self.folder / 'db'),
                (VAR / 'replica', self.folder / 'replica')]:
            if (cache / source).exists():
                shutil.copytree(cache / source, folder / target)
        if is_postgresql():
            import psycopg
            with psycopg.connect(self.postgresql_uri('postgres'),
                    autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{target}"')
                connection.execute(
                    f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
        else:
            (self.folder / 'db').mkdir(parents=True, exist_ok=True)
            shutil.copy(VAR / 'cache' / f'{source}.sqlite',
                self.folder / 'db' / f'{target}.sqlite')

    def postgresql_uri(self, database):
        return os.environ['TRYTOND_DATABASE__URI'].rstrip('/') + '/' + database

    def postgresql_databases(self):
        import psycopg
        with psycopg.connect(self.postgresql_uri('postgres')) as connection:
            return {row[0] for row in connection.execute(
                    'SELECT datname FROM pg_database')}

    def start(self):
        if self.folder.exists():
            shutil.rmtree(self.folder)
        (self.folder / 'mail').mkdir(parents=True)
        (VAR / 'cache').mkdir(parents=True, exist_ok=True)
        self.write_config()
        self.build()
        self.log = (self.folder / 'server.log').open('w')
        self.start_catcher()
        self.process = subprocess.Popen([
                sys.executable, str(ROOT / 'scripts/serve.py'),
                '--database', self.database, '--config', str(self.config_path),
                '--listen', f'127.0.0.1:{self.port}'],
            env=self.environment(), cwd=ROOT,
            stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_ready()

    def start_catcher(self):
        "Start the SMTP server catching the mail, in its own process."
        self.catcher = subprocess.Popen([
                sys.executable, '-m', 'trytond.modules.portal.tests.mailcatcher',
                str(self.folder / 'mail'), str(self.mail_port)],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(
                    ('127.0.0.1', self.mail_port), timeout=1):
                return
            time.sleep(0.1)
        raise RuntimeError("The mail catcher did not start")

    def stop_catcher(self):
        self.catcher.terminate()
        self.catcher.wait(timeout=20)

    @contextlib.contextmanager
    def mail_outage(self):
        "Take the SMTP server down for the block, then bring it back."
        self.stop_catcher()
        try:
            yield
        finally:
            self.start_catcher()

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    (self.folder / 'server.log').read_text()[-3000:])
            try:
                urllib.request.urlopen(f'{self.url}/portal/health', timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("The platform did not start in time")

    def stop(self):
        for process in filter(None, [self.process, self.catcher]):
            process.terminate()
            process.wait(timeout=20)
        if self.process:
            self.log.close()
        if is_postgresql():
            import psycopg
            with psycopg.connect(self.postgresql_uri('postgres'),
                    autocommit=True) as connection:
                connection.execute(
                    f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
