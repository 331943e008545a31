# This file is part of the insurance intermediary platform.
"""Test case of the platform's modules: each module's database is its
dependency's cached database with the module activated on top."""
from lxml import etree

from trytond.modules.portal.platform import modules
from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


def activate_chain(module):
    """Activate the module as the last link of the platform chain.

    The nearest cached link is restored and the links after it are
    activated one by one, each cached in turn; without a cache the module
    is activated at once, as Tryton does."""
    if not test_tryton.DB_CACHE:
        test_tryton.activate_module(module)
        return
    chain = modules()[:modules().index(module) + 1]
    start = 0
    for index in reversed(range(len(chain))):
        if test_tryton.restore_db_cache(chain[index]):
            start = index + 1
            break
    for link in chain[start:]:
        # the database exists after the first link: each is activated on it
        test_tryton.activate_module(link)


class PlatformModuleTestCase(ModuleTestCase):
    "Module test case activating along the platform chain"

    @classmethod
    def setUpClass(cls):
        # the test database is prepared here instead of _DBTestCase's
        super(test_tryton._DBTestCase, cls).setUpClass()
        test_tryton.drop_db()
        activate_chain(cls.module)

    @with_transaction()
    def test_list_view_timestamps(self):
        "List views split a date-time into a date and a time column"
        # sao has no list column for date-time fields
        pool = Pool()
        View = pool.get('ir.ui.view')
        for view in View.search([('module', '=', self.module)]):
            root = view.inherit or view
            if root.type != 'tree':
                continue
            Model = pool.get(view.model)
            for node in etree.fromstring(view.arch).iter('field'):
                field = Model._fields.get(node.get('name'))
                if field is not None and field._type in {
                        'datetime', 'timestamp'}:
                    with self.subTest(view=view.rec_name,
                            field=node.get('name')):
                        self.assertIn(node.get('widget'), {'date', 'time'})
