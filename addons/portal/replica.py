# This file is part of the insurance intermediary platform.
"""A second copy of every stored document.

``ReplicaFileStore`` is Tryton's file store (attachments and every Binary
field with a ``file_id``: consent PDFs, ticket attachments, signed policies)
writing each file to the primary folder (``[database] path``) and to a
replica folder (``[replica] path``, by default ``replica`` beside the
database folder: another disk or a mounted remote site) with the file's
SHA-256 beside the copy. Name it in the configuration::

    [database]
    class = trytond.modules.portal.replica.ReplicaFileStore

Check and repair both copies, hash for hash::

    python -m trytond.modules.portal.replica verify -c trytond.conf
    python -m trytond.modules.portal.replica restore -c trytond.conf

``restore`` copies missing or corrupt primary files back from the replica
and completes the replica from sound primary files; it exits with 2 when a
file is lost in both places, 1 when ``verify`` finds anything to repair.
"""
import argparse
import hashlib
import logging
import os
import sys
from dataclasses import dataclass

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


@dataclass
class Entry:
    "The state of one stored file in both places."
    relative: str
    expected: str | None
    primary: str | None
    replica: str | None

    @property
    def problem(self):
        "Return what is wrong with the file, or None."
        good = self.expected or self.primary
        if self.expected is None and self.replica is None:
            return 'not replicated'
        if self.primary == self.replica == good:
            return None
        if self.expected is None or good not in {self.primary, self.replica}:
            return 'lost'
        if self.primary != good:
            return 'primary missing' if self.primary is None \
                else 'primary corrupt'
        return 'replica missing' if self.replica is None \
            else 'replica corrupt'


def _is_store_file(parts):
    "Tell whether a relative path is prefix/ab/cd/abcd… as the store writes."
    if len(parts) != 4:
        return False
    _, first, second, name = parts
    return (name[0:2] == first and name[2:4] == second
        and '.tmp-' not in name and not name.endswith(HASH_SUFFIX))


def _files(root, prefix):
    "Yield the relative paths of the store files under the root."
    top = os.path.join(root, prefix) if prefix else root
    for folder, _, names in os.walk(top):
        for name in names:
            relative = os.path.relpath(os.path.join(folder, name), root)
            if _is_store_file(relative.split(os.sep)):
                yield relative


def _hash_of(filename):
    data = read_file(filename)
    return digest(data) if data is not None else None


def scan(primary, replica, prefix=''):
    "Return the entries of every file found in either place."
    names = sorted(set(_files(primary, prefix)) | set(_files(replica, prefix)))
    for relative in names:
        expected = read_file(os.path.join(replica, relative) + HASH_SUFFIX)
        yield Entry(relative,
            expected.decode().strip() if expected else None,
            _hash_of(os.path.join(primary, relative)),
            _hash_of(os.path.join(replica, relative)))


def repair(entry, primary, replica):
    "Copy the sound copy over the missing or corrupt one; return success."
    problem = entry.problem
    source, target = {
        'primary missing': (replica, primary),
        'primary corrupt': (replica, primary),
        'replica missing': (primary, replica),
        'replica corrupt': (primary, replica),
        'not replicated': (primary, replica),
        }.get(problem, (None, None))
    if source is None:
        return problem is None
    data = read_file(os.path.join(source, entry.relative))
    write_file(os.path.join(target, entry.relative), data)
    if entry.expected is None:
        write_file(os.path.join(replica, entry.relative) + HASH_SUFFIX,
            digest(data).encode())
    return True


def run(command, primary, replica, prefix='', out=sys.stdout):
    "Verify or restore the stores; return the exit status."
    checked, problems, lost = 0, 0, 0
    for entry in scan(primary, replica, prefix):
        checked += 1
        problem = entry.problem
        if not problem:
            continue
        problems += 1
        if command == 'restore':
            if repair(entry, primary, replica):
                print(f"restored ({problem}): {entry.relative}", file=out)
                continue
            lost += 1
        print(f"{problem}: {entry.relative}", file=out)
    print(f"{checked} files checked, {problems} with problems"
        + (f", {problems - lost} restored, {lost} lost"
            if command == 'restore' else ''), file=out)
    if lost:
        return 2
    return 1 if problems and command == 'verify' else 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Verify or restore the replica of the file store.")
    parser.add_argument('command', choices=['verify', 'restore'])
    parser.add_argument('-c', '--config', dest='config',
        default=os.environ.get('TRYTOND_CONFIG'))
    parser.add_argument('-d', '--database', dest='database', default='',
        help="only the files of this database")
    options = parser.parse_args(argv)
    if options.config:
        config.update_etc(options.config)
    primary = os.path.normpath(config.get('database', 'path'))
    return run(options.command, primary, replica_root(), options.database)


if __name__ == '__main__':
    sys.exit(main())
