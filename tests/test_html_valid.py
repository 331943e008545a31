"""Every portal page a demo role reaches is valid HTML for the Nu HTML
checker (vnu), in Italian, English and Persian, logged in and out."""
import json
import pathlib
import subprocess
import tempfile

import pytest

from portal_pages import LANGUAGES, ROLES, crawl

ROOT = pathlib.Path(__file__).resolve().parents[1]
VNU = ROOT / 'node_modules' / 'vnu-jar' / 'build' / 'dist' / 'vnu.jar'


def validate(files):
    "Return the checker's errors of the files, by file name."
    result = subprocess.run(['java', '-Xss8m', '-jar', str(VNU),
            '--errors-only', '--format', 'json', '--stdout',
            *map(str, files)], capture_output=True, text=True)
    messages = json.loads(result.stdout or '{"messages": []}')['messages']
    errors = {}
    for message in messages:
        name = pathlib.Path(message.get('url', '')).name
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message.get('message')}")
    return errors


@pytest.mark.parametrize('role', list(ROLES))
def test_pages_valid(platform, role):
    "The role's pages have no HTML error in any language"
    if not VNU.exists():
        pytest.fail(f"{VNU} is missing: run `make install`")
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for language in LANGUAGES:
            _, pages = crawl(platform.url, role, language)
            assert pages, (role, language)
            for number, (path, html) in enumerate(pages):
                name = f'{language}-{number:02d}.html'
                names[name] = f'{language} {path}'
                (pathlib.Path(folder) / name).write_text(html)
        errors = validate(sorted(pathlib.Path(folder).iterdir()))
    report = {names.get(name, name): found for name, found in errors.items()}
    assert not report, json.dumps(report, indent=1, ensure_ascii=False)
