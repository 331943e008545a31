# This file is part of the insurance intermediary platform.
"""The demo's seal: a local certification authority, the platform's seal
certificate and an RFC 3161 time-stamping authority served on loopback.

Made with certomancer into a folder (``var/pki``) the first time it is
needed and kept there: nothing of it is committed. ``make demo``, the test
runs and the benchmarks use it; production names a qualified provider's
certificate and time-stamping authority instead (docs/operations.md).

    environment = setup('var/pki')  # {'TRYTOND_SEAL__...': value}
"""
import contextlib
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

ARCH = 'platform-demo'
VALIDITY = {
    'valid-from': '2024-01-01T00:00:00+0000',
    'valid-to': '2044-01-01T00:00:00+0000',
    }
NAMES = {
    'root': "Demo Root CA (not for production)",
    'seal': "Sportello Assicurativo - sigillo elettronico (demo)",
    'tsa': "Demo Time-Stamping Authority (not for production)",
    }
_servers = {}
_children = []
_lock = threading.Lock()


def _key_usage(*usages):
    return {'id': 'key_usage', 'critical': True,
        'smart-value': {'schema': 'key-usage', 'params': list(usages)}}


def architecture():
    "Return certomancer's configuration of the demo PKI."
    root_extensions = [
        {'id': 'basic_constraints', 'critical': True,
            'value': {'ca': True}},
        _key_usage('digital_signature', 'key_cert_sign', 'crl_sign'),
        ]
    return {
        'keysets': {ARCH: {'path-prefix': 'keys', 'keys': {
                        label: {'path': f'{label}.key.pem'}
                        for label in NAMES}}},
        'pki-architectures': {ARCH: {
                'keyset': ARCH,
                'entity-defaults': {
                    'country-name': 'IT',
                    'organization-name': "Sportello Assicurativo (demo)"},
                'entities': {label: {'common-name': name}
                    for label, name in NAMES.items()},
                'certs': {
                    'root': {'subject': 'root', 'issuer': 'root',
                        'validity': VALIDITY, 'extensions': root_extensions},
                    'seal': {'subject': 'seal', 'issuer': 'root',
                        'validity': VALIDITY, 'extensions': [_key_usage(
                                'digital_signature', 'non_repudiation')]},
                    'tsa': {'subject': 'tsa', 'issuer': 'root',
                        'validity': VALIDITY, 'extensions': [
                            _key_usage('digital_signature'),
                            {'id': 'extended_key_usage', 'critical': True,
                                'value': ['time_stamping']}]},
                    },
                'services': {'time-stamping': {'tsa': {
                            'signing-key': 'tsa', 'signing-cert': 'tsa'}}},
                }},
        }


def _write_keys(folder):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    (folder / 'keys').mkdir(parents=True)
    for label in NAMES:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (folder / 'keys' / f'{label}.key.pem').write_bytes(key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption()))


def _load(folder):
    from certomancer.registry import ArchLabel, CertomancerConfig
    config = CertomancerConfig(architecture(), key_search_dir=str(folder))
    return config.get_pki_arch(ArchLabel(ARCH))


def _write_certificates(folder):
    from asn1crypto import pem
    from certomancer.registry import CertLabel
    arch = _load(folder)
    for label in NAMES:
        certificate = arch.get_cert(CertLabel(label))
        (folder / f'{label}.cert.pem').write_bytes(
            pem.armor('CERTIFICATE', certificate.dump()))


def ensure(folder):
    """Make the demo PKI in the folder unless it is there; concurrent runs
    each make one aside and the first to finish publishes it."""
    folder = pathlib.Path(folder)
    if (folder / 'seal.cert.pem').exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = pathlib.Path(tempfile.mkdtemp(
            prefix='pki-', dir=folder.parent))
    try:
        _write_keys(building)
        _write_certificates(building)
        try:
            os.rename(building, folder)
        except OSError:
            if not (folder / 'seal.cert.pem').exists():
                raise
    finally:
        if building.exists():
            shutil.rmtree(building)
    return folder


def free_port():
    """Return a TCP port free on the loopback interface.

    The one definition of the tests (tools.py gives it to them): it lives
    here because this file runs as a script and is imported by
    scripts/environment.py, with the standard library only."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def start_tsa(folder, port=None):
    """Serve the demo's time-stamping authority on loopback in a thread of
    this process (once per folder and port); return its URL."""
    from certomancer.integrations.animator import Animator, AnimatorArchStore
    from werkzeug.serving import make_server
    folder = pathlib.Path(folder).resolve()
    with _lock:
        if folder in _servers:
            return _servers[folder]
        arch = _load(folder)
        app = Animator(AnimatorArchStore({arch.arch_label: arch}),
            with_web_ui=False, allow_time_override=False)
        server = make_server('127.0.0.1', port or free_port(), app,
            threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True,
            name='demo-tsa').start()
        url = f'http://127.0.0.1:{server.server_port}/{ARCH}/tsa/tsa'
        _servers[folder] = url
        return url


def spawn_tsa(folder):
    """Serve the demo's time-stamping authority on loopback in a child
    process, which ends with this one (its standard input closes): the
    server's own process must start with no other thread (Tryton checks);
    return its URL."""
    folder = pathlib.Path(folder).resolve()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, __file__, str(folder), str(port)],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    _children.append(process)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(
                ('127.0.0.1', port), timeout=1):
            return f'http://127.0.0.1:{port}/{ARCH}/tsa/tsa'
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise RuntimeError("the demo time-stamping authority did not start")


def options(folder, tsa_url=None):
    "Return the [seal] options of the demo PKI."
    folder = pathlib.Path(folder).resolve()
    values = {
        'certificate': str(folder / 'seal.cert.pem'),
        'key': str(folder / 'keys' / 'seal.key.pem'),
        'chain': str(folder / 'root.cert.pem'),
        'trust': str(folder / 'root.cert.pem'),
        }
    if tsa_url:
        values['tsa_url'] = tsa_url
    return values


def setup(folder):
    """Make the demo PKI, start its TSA and return the environment
    variables that point the seal at them."""
    ensure(folder)
    url = spawn_tsa(folder)
    return {f'TRYTOND_SEAL__{k.upper()}': v
        for k, v in options(folder, url).items()}


def configure(folder):
    "Point Tryton's configuration of this process at the demo seal."
    from trytond import config
    ensure(folder)
    if not config.has_section('seal'):
        config.add_section('seal')
    for key, value in options(folder, start_tsa(folder)).items():
        config.set('seal', key, value)


if __name__ == '__main__':
    # the child of spawn_tsa: serve until the parent closes our input
    start_tsa(sys.argv[1], int(sys.argv[2]))
    sys.stdin.read()
