# This file is part of the insurance intermediary platform.
"""The model layer stands without the portal's web layer: the worker, the
cron and trytond-admin never load Flask or a view."""
import ast
import importlib.util
import pathlib
import subprocess
import sys
import unittest

from trytond.modules.portal.platform import modules


def package_folder(module):
    spec = importlib.util.find_spec(f'trytond.modules.{module}')
    return pathlib.Path(spec.submodule_search_locations[0])


def model_files(module):
    "Yield the module's Python files outside its web and tests packages."
    folder = package_folder(module)
    for path in sorted(folder.rglob('*.py')):
        parts = path.relative_to(folder).parts
        if parts[0] not in {'web', 'tests'}:
            yield folder, path


def dotted(module, folder, path):
    relative = path.relative_to(folder).with_suffix('')
    parts = [p for p in relative.parts if p != '__init__']
    return '.'.join([f'trytond.modules.{module}', *parts])


class LayersTestCase(unittest.TestCase):

    def test_models_import_no_flask(self):
        "Each module's model code imports in a fresh interpreter without Flask"
        for module in modules():
            names = [dotted(module, folder, path)
                for folder, path in model_files(module)]
            script = (
                'import importlib, sys\n'
                f'for name in {names!r}:\n'
                '    importlib.import_module(name)\n'
                "print(sorted(m for m in sys.modules "
                "if m == 'flask' or m.startswith(('flask.', 'flask_')) "
                "or (m.startswith('trytond.modules.') "
                "and 'web' in m.split('.'))))\n")
            with self.subTest(module=module):
                result = subprocess.run(
                    [sys.executable, '-c', script], capture_output=True,
                    text=True, check=True)
                self.assertEqual(result.stdout.strip(), '[]')

    def test_no_import_of_web_outside_web(self):
        "No file outside a web package names a web package in its imports"
        for module in modules():
            for folder, path in model_files(module):
                tree = ast.parse(path.read_text(), str(path))
                for node in ast.walk(tree):
                    if isinstance(node, ast.ImportFrom):
                        names = [node.module or '']
                    elif isinstance(node, ast.Import):
                        names = [a.name for a in node.names]
                    else:
                        continue
                    for name in names:
                        with self.subTest(file=str(path), name=name):
                            self.assertNotIn(
                                'web', name.split('.'),
                                f"{path} imports {name}")
