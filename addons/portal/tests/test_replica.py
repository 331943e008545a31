# This file is part of the insurance intermediary platform.
"""The replica of the file store: both copies written, verified hash for
hash, and restored with nothing lost."""
import hashlib
import io
import os
import tempfile
import unittest

from trytond.modules.portal.filestore import (
    HASH_SUFFIX, ReplicaFileStore, SourceLost, write_stream)
from trytond.modules.portal.replica import run


class FolderStore(ReplicaFileStore):
    "The replica store on two given folders."

    def __init__(self, primary, replica):
        self._primary, self._replica = primary, replica

    @property
    def path(self):
        return self._primary

    @property
    def replica_path(self):
        return self._replica


class ReplicaTestCase(unittest.TestCase):

    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.primary = os.path.join(folder.name, 'db')
        self.replica = os.path.join(folder.name, 'replica')
        os.makedirs(self.primary)
        self.store = FolderStore(self.primary, self.replica)

    def run_command(self, command):
        out = io.StringIO()
        status = run(command, self.primary, self.replica, 'demo', out=out)
        return status, out.getvalue()

    def test_both_copies_written(self):
        "Each file is written to both places with its hash"
        id = self.store.set(b'policy', prefix='demo')
        replica = self.store.replica_filename(id, 'demo')
        self.assertTrue(replica.startswith(self.replica))
        with open(replica, 'rb') as file:
            self.assertEqual(file.read(), b'policy')
        self.assertTrue(os.path.exists(replica + HASH_SUFFIX))
        self.assertEqual(self.run_command('verify'), (
                0, "1 files checked, 0 with problems\n"))

    def test_read_from_replica(self):
        "A file missing from the primary store is read from the replica"
        id = self.store.set(b'attachment', prefix='demo')
        os.remove(self.store._filename(id, 'demo'))
        self.assertEqual(self.store.get(id, prefix='demo'), b'attachment')
        self.assertEqual(self.store.size(id, prefix='demo'), 10)

    def test_restore_deleted_and_corrupt(self):
        "Deleted and corrupted primary files come back from the replica"
        files = {self.store.set(f'file {i}'.encode(), prefix='demo'):
            f'file {i}'.encode() for i in range(4)}
        deleted, corrupt, replica_lost, _ = files
        os.remove(self.store._filename(deleted, 'demo'))
        with open(self.store._filename(corrupt, 'demo'), 'r+b') as file:
            file.write(b'F')
        os.remove(self.store.replica_filename(replica_lost, 'demo'))

        status, report = self.run_command('verify')
        self.assertEqual(status, 1)
        self.assertIn(f'primary missing: demo/{deleted[:2]}', report)
        self.assertIn(f'primary corrupt: demo/{corrupt[:2]}', report)
        self.assertIn(f'replica missing: demo/{replica_lost[:2]}', report)

        status, report = self.run_command('restore')
        self.assertEqual(status, 0, report)
        self.assertIn('3 restored, 0 lost', report)
        for id, data in files.items():
            self.assertEqual(super(
                    ReplicaFileStore, self.store).get(id, 'demo'), data)
        self.assertEqual(self.run_command('verify')[0], 0)

    def test_lost_in_both_places(self):
        "A file corrupt in both copies is reported lost"
        id = self.store.set(b'signed policy', prefix='demo')
        for filename in [self.store._filename(id, 'demo'),
                self.store.replica_filename(id, 'demo')]:
            with open(filename, 'wb') as file:
                file.write(b'garbage')
        status, report = self.run_command('restore')
        self.assertEqual(status, 2)
        self.assertIn('lost: demo/', report)

    def test_primary_only_files_replicated(self):
        "Files stored before the replica existed are copied by restore"
        id = super(ReplicaFileStore, self.store).set(b'older', prefix='demo')
        status, report = self.run_command('verify')
        self.assertIn('not replicated', report)
        self.assertEqual(self.run_command('restore')[0], 0)
        with open(self.store.replica_filename(id, 'demo'), 'rb') as file:
            self.assertEqual(file.read(), b'older')
        self.assertEqual(self.run_command('verify')[0], 0)

    def stream(self, data, id='0123abcd-stream'):
        "Store the data in the primary folder only, as an upload streams."
        sha256, size = write_stream(
            self.store._filename(id, 'demo'), io.BytesIO(data))
        self.assertEqual(sha256, hashlib.sha256(data).hexdigest())
        self.assertEqual(size, len(data))
        return id, sha256

    def test_replicate_hash_for_hash(self):
        "A streamed file is copied to the replica later, hash for hash"
        id, sha256 = self.stream(b'old policy' * 1000)
        self.assertIn('not replicated', self.run_command('verify')[1])
        self.store.replicate(id, 'demo', sha256)
        replica = self.store.replica_filename(id, 'demo')
        with open(replica, 'rb') as file:
            self.assertEqual(file.read(), b'old policy' * 1000)
        with open(replica + HASH_SUFFIX, 'rb') as file:
            self.assertEqual(file.read(), sha256.encode())
        self.assertEqual(self.run_command('verify'), (
                0, "1 files checked, 0 with problems\n"))
        # once copied, a second copy has nothing to do
        os.utime(replica, (0, 0))
        self.store.replicate(id, 'demo', sha256)
        self.assertEqual(os.stat(replica).st_mtime, 0)

    def test_replicate_refuses_changed_primary(self):
        "A primary that is not the file hashed is not copied"
        id, sha256 = self.stream(b'old policy')
        with open(self.store._filename(id, 'demo'), 'wb') as file:
            file.write(b'tampered')
        with self.assertRaises(SourceLost):
            self.store.replicate(id, 'demo', sha256)
        folder = os.path.dirname(self.store.replica_filename(id, 'demo'))
        self.assertEqual(os.listdir(folder), [])
        os.remove(self.store._filename(id, 'demo'))
        with self.assertRaises(SourceLost):
            self.store.replicate(id, 'demo', sha256)

    def test_delete_mirrored(self):
        "Deleting a file deletes its replica"
        id = self.store.set(b'draft', prefix='demo')
        self.store.delete(id, prefix='demo')
        self.assertFalse(
            os.path.exists(self.store.replica_filename(id, 'demo')))
