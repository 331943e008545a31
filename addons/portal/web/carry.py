# This file is part of the insurance intermediary platform.
"""Carry a POST across a page that asks something first.

A guard that must ask the visitor something before an action (the consent
forms a step needs) shows its own form in place of the action's answer;
that form posts back to the same address with the action's fields as
hidden inputs (``fields``) and its uploaded files kept on the server
(``keep_files``), bound to the visitor's session. Once the question is
answered, ``resume`` puts the action's own fields and files back on the
request and the action runs as if it had been posted then.
"""
import io
import json
import os
import secrets
import shutil
import time

from flask import request, session
from werkzeug.datastructures import FileStorage, ImmutableMultiDict

from trytond import config

CARRIED = '_carried'  # the hidden input naming the kept files
SESSION_KEY = 'carried_files'
MAX_AGE = 24 * 60 * 60


def folder():
    return os.path.join(config.get('database', 'path'), 'carried')


def fields(exclude=()):
    "Return the (name, value) pairs of the POST to carry as hidden inputs."
    skipped = {'csrf_token', CARRIED, *exclude}
    return [(name, value) for name, value in request.form.items(multi=True)
        if name not in skipped and not name.startswith('_')]


def keep_files():
    "Keep the POST's uploaded files for the session; return their key."
    uploads = [(name, file) for name, file in request.files.items(multi=True)
        if file.filename]
    key = request.form.get(CARRIED)
    if not uploads or key:
        # already kept by the first showing of the guard's form
        return key
    _clean()
    key = secrets.token_urlsafe(24)
    target = os.path.join(folder(), key)
    os.makedirs(target, mode=0o700)
    index = []
    for number, (name, file) in enumerate(uploads):
        file.save(os.path.join(target, str(number)))
        index.append([name, file.filename, file.mimetype])
    with open(os.path.join(target, 'index.json'), 'w') as output:
        json.dump(index, output)
    session[SESSION_KEY] = session.get(SESSION_KEY, [])[-4:] + [key]
    return key


def resume(exclude=()):
    "Put back on the request the action's own fields and its kept files."
    current = request._get_current_object()
    files = _take(request.form.get(CARRIED))
    current.form = ImmutableMultiDict(fields(exclude))
    current.files = ImmutableMultiDict(files)


def _take(key):
    "Return the files kept under the key for this session, and drop them."
    if not key or key not in session.get(SESSION_KEY, []):
        return []
    session[SESSION_KEY] = [k for k in session[SESSION_KEY] if k != key]
    source = os.path.join(folder(), key)
    try:
        with open(os.path.join(source, 'index.json')) as index:
            entries = json.load(index)
    except FileNotFoundError:
        return []
    files = []
    for number, (name, filename, mimetype) in enumerate(entries):
        with open(os.path.join(source, str(number)), 'rb') as file:
            data = file.read()
        files.append((name, FileStorage(
                    io.BytesIO(data), filename=filename, name=name,
                    content_type=mimetype)))
    shutil.rmtree(source, ignore_errors=True)
    return files


def _clean():
    "Drop the files kept longer than a day (forms never answered)."
    root = folder()
    if not os.path.isdir(root):
        return
    limit = time.time() - MAX_AGE
    for name in os.listdir(root):
        path = os.path.join(root, name)
        if os.path.getmtime(path) < limit:
            shutil.rmtree(path, ignore_errors=True)

