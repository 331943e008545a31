"""The demo server started on other ports is consistent: the mail catcher
listens where the platform sends, and the emailed links name the server's
own address."""
import pathlib
import re
import subprocess
import sys
import time
import urllib.request

import requests

from platform_harness import ROOT, Mailbox, free_port


def test_listen_and_mail_port_followed(platform, tmp_path):
    port, mail_port = free_port(), free_port()
    env = platform.environment()
    env.pop('TRYTOND_CONFIG', None)
    server = subprocess.Popen([
            sys.executable, str(ROOT / 'scripts' / 'serve.py'),
            '--database', platform.database,
            '--listen', f'127.0.0.1:{port}',
            '--mail', str(tmp_path / 'mail'), '--mail-port', str(mail_port)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f'http://127.0.0.1:{port}'
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f'{url}/portal/health', timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        session = requests.Session()
        page = session.get(f'{url}/portal/reset').text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        address = 'daniela.spadafora@studiospadafora.example'
        session.post(f'{url}/portal/reset',
            data={'csrf_token': token, 'email': address})
        message = Mailbox(pathlib.Path(tmp_path / 'mail')).wait_for(
            address, 'password')
        text = message.get_body(('plain',)).get_content()
        assert f'{url}/portal/reset/' in text
    finally:
        server.terminate()
        server.wait(timeout=20)
