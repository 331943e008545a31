# This file is part of the insurance intermediary platform.
"""A local CardDAV server (Radicale) on loopback, for the tests and the
demo: one user with a password and an address book ``contacts``.

    server = start(folder, port, 'agenzia', 'Agenzia2026')
    server.url  # http://127.0.0.1:<port>/agenzia/contacts/
    server.stop()
"""
import json
import os
import socket
import subprocess
import sys
import time

CONFIG = """\
[server]
hosts = 127.0.0.1:{port}
[auth]
type = htpasswd
htpasswd_filename = {folder}/users
htpasswd_encryption = plain
[rights]
type = owner_only
[storage]
filesystem_folder = {folder}/collections
[logging]
level = warning
"""


class Server:

    def __init__(self, process, url, folder):
        self.process = process
        self.url = url
        self.folder = folder

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def new_book(self, book):
        "Return the URL of a new address book of the user."
        user = self.url.rstrip('/').split('/')[-2]
        make_book(self.folder, user, book)
        return self.url.rsplit('/', 2)[0] + f'/{book}/'

    def cards(self, url=None):
        "Return {file name: vCard text} of the address book, on disk."
        book = os.path.join(self.folder, 'collections', 'collection-root',
            *(url or self.url).rstrip('/').split('/')[-2:])
        return {name: open(os.path.join(book, name), encoding='utf-8').read()
            for name in sorted(os.listdir(book)) if name.endswith('.vcf')}


def make_book(folder, user, book):
    "Create the address book of the user in the server's folder."
    collection = os.path.join(
        folder, 'collections', 'collection-root', user, book)
    os.makedirs(collection, exist_ok=True)
    props = os.path.join(collection, '.Radicale.props')
    if not os.path.exists(props):
        with open(props, 'w') as file:
            json.dump({'tag': 'VADDRESSBOOK',
                    'D:displayname': "Clienti"}, file)


def start(folder, port, user, password, book='contacts'):
    "Start Radicale serving the folder; return once it answers."
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'users'), 'w') as users:
        users.write(f'{user}:{password}\n')
    with open(os.path.join(folder, 'config'), 'w') as config:
        config.write(CONFIG.format(port=port, folder=folder))
    make_book(folder, user, book)
    process = subprocess.Popen(
        [sys.executable, '-m', 'radicale',
            '--config', os.path.join(folder, 'config')],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(('127.0.0.1', port), 0.5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("Radicale did not start")
            time.sleep(0.1)
    return Server(process, f'http://127.0.0.1:{port}/{user}/{book}/', folder)
