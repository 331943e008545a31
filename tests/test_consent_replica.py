"""The second copy of every document and the verification commands, on the
running platform: a consent PDF corrupted and another deleted are reported
by both checks and restored from the replica with nothing lost."""
import pathlib
import re
import os
import subprocess
import sys

from e2e import client_session, csrf_token

from trytond.modules.portal.demo import email_of


def run(platform, command, *args):
    "Run an operations command on the platform."
    return subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), command),
            *args, '-c', str(platform.config_path)],
        env=platform.environment(), capture_output=True, text=True,
        timeout=300)


def acknowledge(platform, session, code):
    "Acknowledge a form in My consents; return the new record's id and PDF."
    page = session.get(f'{platform.url}/portal/consents/')
    row = re.search(rf'<tr data-form="{code}".*?</tr>', page.text, re.S)
    fields = dict(re.findall(
            r'name="(party|version)" value="(\d+)"', row.group(0)))
    response = session.post(f'{platform.url}/portal/consents/answer', data={
            **fields, 'answer': 'acknowledged',
            'csrf_token': csrf_token(page.text)})
    assert response.status_code == 200
    record = re.search(r'/portal/consents/(\d+)\.pdf', response.text).group(1)
    pdf = session.get(f'{platform.url}/portal/consents/{record}.pdf').content
    assert pdf.startswith(b'%PDF')
    return record, pdf


def stored_file(root, data):
    """Return the path of the record's file: the first stored with exactly
    the data (the copy attached to the sent email comes after)."""
    matches = [p for p in pathlib.Path(root).rglob('*')
        if p.is_file() and p.suffix != '.sha256' and p.read_bytes() == data]
    assert matches
    return min(matches, key=lambda p: p.stat().st_mtime_ns)


def test_replica_restores_consent_pdfs(platform):
    session, _ = client_session(platform, email_of('Stefano', 'Greco', None))
    corrupt_id, corrupt_pdf = acknowledge(platform, session, 'allegato_4')
    deleted_id, deleted_pdf = acknowledge(platform, session, 'allegato_4ter')

    primary = platform.folder / 'db' / platform.database
    replica = platform.folder / 'replica' / platform.database
    corrupt = stored_file(primary, corrupt_pdf)
    deleted = stored_file(primary, deleted_pdf)
    for path in [corrupt, deleted]:
        copy = replica / path.relative_to(primary)
        assert copy.read_bytes() == path.read_bytes()
        assert copy.with_name(copy.name + '.sha256').exists()

    data = bytearray(corrupt_pdf)
    data[300] ^= 0x01
    corrupt.write_bytes(bytes(data))
    deleted.unlink()

    chain = run(platform, 'platform-consent-verify', '-d', platform.database)
    assert chain.returncode == 1, chain.stderr
    assert (f'record {corrupt_id}: the stored PDF does not match its hash'
        in chain.stdout)
    # The deleted primary is read from the replica, so its chain holds.
    assert f'record {deleted_id}:' not in chain.stdout

    check = run(platform, 'platform-replica', 'verify', '-d', platform.database)
    assert check.returncode == 1
    assert f'primary corrupt: {corrupt.relative_to(primary.parent)}' \
        in check.stdout
    assert f'primary missing: {deleted.relative_to(primary.parent)}' \
        in check.stdout

    restore = run(platform, 'platform-replica', 'restore', '-d', platform.database)
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert ', 0 lost' in restore.stdout
    assert corrupt.read_bytes() == corrupt_pdf
    assert deleted.read_bytes() == deleted_pdf

    check = run(platform, 'platform-replica', 'verify', '-d', platform.database)
    assert str(corrupt.relative_to(primary.parent)) not in check.stdout
    assert str(deleted.relative_to(primary.parent)) not in check.stdout
    chain = run(platform, 'platform-consent-verify', '-d', platform.database)
    assert f'record {corrupt_id}:' not in chain.stdout
