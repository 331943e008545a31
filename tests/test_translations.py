"""Every string the platform shows has its Italian and Persian translation."""
import pathlib
import sys

import polib
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'scripts'))
import i18n  # noqa: E402

from trytond.modules.portal.platform import modules  # noqa: E402

# the platform's modules, as their entry points declare them
MODULES = modules()
LANGUAGES = ['it', 'fa']


@pytest.mark.parametrize('language', LANGUAGES)
@pytest.mark.parametrize('module', MODULES)
def test_portal_strings_translated(module, language):
    ids = i18n.extract(module)
    path = ROOT / 'addons' / module / 'portal_locale' / f'{language}.po'
    catalog = {e.msgid: e for e in polib.pofile(str(path))} if ids else {}
    missing = [i for i in ids
        if i not in catalog or not catalog[i].msgstr
        or 'fuzzy' in catalog[i].flags]
    assert not missing, f"{module} {language}: untranslated {missing}"


@pytest.mark.parametrize('language', LANGUAGES)
@pytest.mark.parametrize('module', MODULES)
def test_module_strings_translated(module, language):
    path = ROOT / 'addons' / module / 'locale' / f'{language}.po'
    entries = polib.pofile(str(path))
    missing = [e.msgid for e in entries
        if e.msgid and (not e.msgstr or 'fuzzy' in e.flags)]
    assert not missing, f"{module} {language}: untranslated {missing}"


@pytest.mark.parametrize('language', LANGUAGES)
def test_portal_message_one_translation(language):
    "A portal message reads the same in every module that shows it"
    found = {}
    for module in MODULES:
        path = ROOT / 'addons' / module / 'portal_locale' / f'{language}.po'
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.msgstr and not entry.obsolete:
                found.setdefault(entry.msgid, {})[module] = entry.msgstr
    differing = {message: modules for message, modules in found.items()
        if len(set(modules.values())) > 1}
    assert not differing, differing
