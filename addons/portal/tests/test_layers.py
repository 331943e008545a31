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


def imported(name, node, files):
    """Yield the platform's files the import names: the module it imports
    or, for ``from package import name``, the submodule of that name."""
    if isinstance(node, ast.Import):
        targets = [a.name for a in node.names]
    else:
        package = name.rsplit('.', node.level)[0] if node.level else ''
        if node.level and name in files and files[name].name == '__init__.py':
            package = name if node.level == 1 else name.rsplit(
                '.', node.level - 1)[0]
        base = '.'.join(filter(None, [package, node.module or '']))
        targets = [f'{base}.{a.name}' if f'{base}.{a.name}' in files
            else base for a in node.names]
    for target in targets:
        if target in files:
            yield target


def import_graph():
    "Return each platform file's imports of platform files, as dotted names."
    files = {}
    for module in modules():
        folder = package_folder(module)
        for path in sorted(folder.rglob('*.py')):
            if 'tests' not in path.relative_to(folder).parts:
                files[dotted(module, folder, path)] = path
    graph = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(), str(path))
        graph[name] = {target for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for target in imported(name, node, files) if target != name}
    return graph


def circles(graph):
    "Return the strongly connected groups of more than one file (Tarjan)."
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


class ImportCircleTestCase(unittest.TestCase):

    def test_no_import_circle(self):
        "No file of the platform imports, even late, one that imports it back"
        graph = import_graph()
        self.assertGreater(len(graph), 100)
        self.assertEqual(circles(graph), [])
        # the check sees a package's imports of its views
        self.assertIn('trytond.modules.insurance_ticket.web.views',
            graph['trytond.modules.insurance_ticket.web'])
