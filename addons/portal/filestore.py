# This file is part of the insurance intermediary platform.
"""A second copy of every stored document.

``ReplicaFileStore`` is Tryton's file store (attachments and every Binary
field with a ``file_id``: consent PDFs, ticket attachments, signed policies,
emails) writing each file to the primary folder (``[database] path``) and to
a replica folder (``[replica] path``, by default ``replica`` beside the
database folder: another disk or a mounted remote site) with the file's
SHA-256 beside the copy. Name it in the configuration::

    [database]
    class = trytond.modules.portal.filestore.ReplicaFileStore

``platform-replica verify|restore`` checks and repairs both copies.
"""
import hashlib
import logging
import os

import trytond.config as config
from trytond.filestore import FileStore

logger = logging.getLogger(__name__)
HASH_SUFFIX = '.sha256'


def replica_root():
    "Return the replica folder: configured, or beside the database folder."
    path = config.get('replica', 'path')
    if not path:
        database = os.path.normpath(config.get('database', 'path'))
        path = os.path.join(os.path.dirname(database), 'replica')
    return os.path.normpath(path)


def digest(data):
    return hashlib.sha256(data).hexdigest()


def write_file(filename, data):
    "Write the data durably: a temporary file renamed over the target."
    os.makedirs(os.path.dirname(filename), mode=0o770, exist_ok=True)
    temporary = f'{filename}.tmp-{os.getpid()}'
    with open(temporary, 'wb') as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, filename)


def read_file(filename):
    try:
        with open(filename, 'rb') as file:
            return file.read()
    except FileNotFoundError:
        return None


class ReplicaFileStore(FileStore):
    "The file store writing every file to the replica folder too."

    @property
    def replica_path(self):
        return replica_root()

    def replica_filename(self, id, prefix):
        relative = os.path.relpath(self._filename(id, prefix), self.path)
        return os.path.join(self.replica_path, relative)

    def set(self, data, prefix=''):
        id = super().set(data, prefix)
        filename = self.replica_filename(id, prefix)
        write_file(filename, data)
        write_file(filename + HASH_SUFFIX, digest(data).encode())
        return id

    def get(self, id, prefix=''):
        try:
            return super().get(id, prefix)
        except FileNotFoundError:
            data = read_file(self.replica_filename(id, prefix))
            if data is None:
                raise
            logger.error(
                "file %s/%s missing from the primary store, read from the "
                "replica: run the replica restore", prefix, id)
            return data

    def size(self, id, prefix=''):
        try:
            return super().size(id, prefix)
        except FileNotFoundError:
            return os.stat(self.replica_filename(id, prefix)).st_size

    def delete(self, id, prefix=''):
        super().delete(id, prefix)
        if '-' not in id:
            return
        filename = self.replica_filename(id, prefix)
        for name in [filename, filename + HASH_SUFFIX]:
            try:
                os.remove(name)
            except FileNotFoundError:
                pass
