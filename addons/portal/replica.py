# This file is part of the insurance intermediary platform.
"""Check and repair both copies of the stored files, hash for hash.

    platform-replica verify|restore -c trytond.conf [-d database]

``restore`` copies missing or corrupt primary files back from the replica
and completes the replica from sound primary files; it exits with 2 when a
file is lost in both places, 1 when ``verify`` finds anything to repair.
The replicated store itself is ``filestore.ReplicaFileStore``.
"""
import argparse
import os
import sys
from dataclasses import dataclass

# the configured store resolves first: it is the class of this module's
# sibling, which must not be half imported when Tryton looks it up
import trytond.filestore  # noqa: F401
import trytond.config as config

from .filestore import (
    HASH_SUFFIX, hash_file, read_file, replica_root, write_file, write_stream)


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


def scan(primary, replica, prefix=''):
    "Return the entries of every file found in either place."
    names = sorted(set(_files(primary, prefix)) | set(_files(replica, prefix)))
    for relative in names:
        expected = read_file(os.path.join(replica, relative) + HASH_SUFFIX)
        yield Entry(relative,
            expected.decode().strip() if expected else None,
            hash_file(os.path.join(primary, relative)),
            hash_file(os.path.join(replica, relative)))


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
    with open(os.path.join(source, entry.relative), 'rb') as file:
        sha256, _ = write_stream(os.path.join(target, entry.relative), file)
    if entry.expected is None:
        write_file(os.path.join(replica, entry.relative) + HASH_SUFFIX,
            sha256.encode())
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
