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

An upload takes another way, by chunks from the file the request was
spooled to: ``set_stream`` writes it to the primary folder durably while
hashing it, the record keeps the hash, and ``replicate``, queued after the
commit, copies it to the replica hash for hash (a replica that fails is
tried again later by the caller, ``queue.retry_delay``). Only the
streamed files need it (``streamed_to_copy``).

``platform-replica verify|restore`` checks and repairs both copies.
"""
import hashlib
import io
import logging
import os

import trytond.config as config
from trytond.filestore import FileStore

logger = logging.getLogger(__name__)
HASH_SUFFIX = '.sha256'
CHUNK = 1024 * 1024


class SourceLost(Exception):
    "The primary file to copy is missing, or not the file that was hashed."


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
    write_stream(filename, io.BytesIO(data))


def write_stream(filename, stream, expected=None):
    """Write the rest of the stream durably, as ``write_file``, hashing it
    by chunks; return its SHA-256 and size. With the ``expected`` hash, a
    stream that does not match it raises SourceLost and writes nothing."""
    os.makedirs(os.path.dirname(filename), mode=0o770, exist_ok=True)
    temporary = f'{filename}.tmp-{os.getpid()}'
    try:
        with open(temporary, 'wb') as file:
            sha256, size = copy_hashing(stream, file)
            file.flush()
            os.fsync(file.fileno())
        if expected is not None and sha256 != expected:
            raise SourceLost(f"{filename}: {sha256} is not {expected}")
        os.replace(temporary, filename)
    except BaseException:
        remove(temporary)
        raise
    return sha256, size


def copy_hashing(source, target):
    "Copy the source's rest to the target by chunks; return SHA-256, size."
    sha256, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        sha256.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return sha256.hexdigest(), size


def hash_file(filename):
    "Return the SHA-256 of the file read by chunks, or None if missing."
    sha256 = hashlib.sha256()
    try:
        with open(filename, 'rb') as file:
            while chunk := file.read(CHUNK):
                sha256.update(chunk)
    except FileNotFoundError:
        return None
    return sha256.hexdigest()


def remove(filename):
    try:
        os.remove(filename)
    except FileNotFoundError:
        pass


def configured_store():
    "Return the file store Tryton is configured with."
    from trytond.filestore import filestore
    return filestore


def set_stream(stream, prefix=''):
    """Write the rest of the stream to the primary store durably, hashing
    it as it goes; return the new file's id, SHA-256 and size. The replica
    copy is ``replicate``'s, after the commit; a transaction rolled back
    removes the file (no record keeps it)."""
    from trytond.transaction import Transaction
    store = configured_store()
    id = store._id(None)
    sha256, size = write_stream(store._filename(id, prefix), stream)
    Transaction().join(StoredFiles()).add(store, id, prefix)
    return id, sha256, size


def streamed_to_copy():
    """Return the ids of the files the transaction streamed to a store
    with a replica: they still need their copy (the other files are
    written to both folders at once)."""
    from trytond.transaction import Transaction
    store = configured_store()
    if not isinstance(store, ReplicaFileStore):
        return set()
    return {id for _, id, _ in Transaction().join(StoredFiles()).files}


class StoredFiles:
    "The files a transaction streamed to the store, removed if it aborts."

    def __init__(self):
        self.files = []

    def __eq__(self, other):
        return isinstance(other, StoredFiles)

    def add(self, store, id, prefix):
        self.files.append((store, id, prefix))

    def tpc_begin(self, transaction):
        pass

    def commit(self, transaction):
        pass

    def tpc_vote(self, transaction):
        pass

    def tpc_finish(self, transaction):
        self.files = []

    def tpc_abort(self, transaction):
        for store, id, prefix in self.files:
            try:
                store.delete(id, prefix)
            except OSError:
                logger.warning("file %s/%s of a transaction rolled back "
                    "not removed", prefix, id, exc_info=True)
        self.files = []


def replicate(id, prefix, sha256):
    """Copy the primary file to the replica with its hash, unless there
    already; a store without replica has nothing to do. Raise SourceLost
    when the primary is missing or not the file hashed, OSError when the
    replica cannot be written."""
    store = configured_store()
    if isinstance(store, ReplicaFileStore):
        store.replicate(id, prefix, sha256)


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
        sha256, _ = write_stream(filename, io.BytesIO(data))
        write_file(filename + HASH_SUFFIX, sha256.encode())
        return id

    def replicate(self, id, prefix, sha256):
        "Copy the primary file to the replica, see ``replicate``."
        target = self.replica_filename(id, prefix)
        if (read_file(target + HASH_SUFFIX) == sha256.encode()
                and hash_file(target) == sha256):
            return
        try:
            source = open(self._filename(id, prefix), 'rb')
        except FileNotFoundError as error:
            raise SourceLost(f"{prefix}/{id} is missing") from error
        with source:
            write_stream(target, source, expected=sha256)
        write_file(target + HASH_SUFFIX, sha256.encode())

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
            remove(name)
