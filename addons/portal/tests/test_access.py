# This file is part of the insurance intermediary platform.
"""Access of the back-office groups on the whole platform: no group reads a
secret, and every role has the rights docs/security.md gives it."""
import datetime as dt
import pathlib
import re

from trytond.model import ModelSQL
from trytond.model.exceptions import AccessError
from trytond.modules.portal.platform import modules
from trytond.modules.portal.tests.tools import PlatformTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction, check_access

DOCS = pathlib.Path(__file__).resolve().parents[3] / 'docs' / 'security.md'
# a field whose name says it holds a secret
SECRET = re.compile(
    r'(password_hash|password_reset|token|(^|_)key|cookie|code_hash'
    r'|secret)$')
# secrets whose name does not say so
SECRETS = {('portal.email', 'message'), ('portal.email', 'message_id')}
# the groups of each role of the matrix
ROLES = {
    'administrator': ['res.group_admin'],
    'operator': [
        'insurance_ticket.group_operator', 'client_card.group_client_card'],
    'accountant': [
        'insurance_ticket.group_accountant', 'account.group_account'],
    'portal admin': ['portal.group_portal_admin'],
    'consent admin': ['consent_registry.group_consent_admin'],
    'insurance admin': ['insurance_ticket.group_insurance_admin'],
    'portal': ['portal.group_portal'],
    }
PERMISSIONS = dict(zip('rwcd', ['read', 'write', 'create', 'delete']))


def documented_matrix():
    "Return {model: {role: set of rights}} from docs/security.md."
    text = DOCS.read_text()
    table = text.split('<!-- matrix -->')[1].split('<!-- /matrix -->')[0]
    rows = [[c.strip() for c in line.strip().strip('|').split('|')]
        for line in table.strip().splitlines()]
    header, body = rows[0][1:], rows[1:]
    return {row[0].strip('`'): {
            role: set(cell) - {'-'} for role, cell in zip(header, row[1:])}
        for row in body}


class AccessTestCase(PlatformTestCase):
    "Test the access of the back-office groups"
    module = modules()[-1]

    def user_of(self, groups, login):
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        user = User(login=login, name=login, groups=[
                ModelData.get_id(*g.split('.')) for g in groups])
        user.save()
        return user

    def create_secrets(self):
        "Give every kind of secret a value to find."
        pool = Pool()
        WebUser = pool.get('web.user')
        PhoneCode = pool.get('portal.phone.code')
        user = WebUser(email='ada@example.com', password='Secret2026',
            phone='+393331234567')
        user.save()
        user.reset_password_token = 'reset-token'
        user.email_token = 'email-token'
        user.save()
        user.new_session()
        code = PhoneCode(web_user=user, phone=user.phone)
        code.new_code()
        code.save()
        Target = Pool().get('client_card.sync.target')
        Target(name="Gestionale", kind='webhook', url='http://127.0.0.1:9/',
            new_secret='webhook-secret').save()

    def secret_fields(self):
        "Yield (Model, field name) of every field holding a secret."
        for name, Model in Pool().iterobject():
            if not issubclass(Model, ModelSQL) or callable(
                    getattr(Model, 'table_query', None)):
                continue
            for field in Model._fields:
                if SECRET.search(field) or (name, field) in SECRETS:
                    yield Model, field

    @with_transaction()
    def test_no_group_reads_secrets(self):
        "A user of each group reads no secret of any model"
        pool = Pool()
        Group = pool.get('res.group')
        self.create_secrets()
        secrets = list(self.secret_fields())
        found = {(M.__name__, f) for M, f in secrets
            if any(r[f] for r in M.search_read([], fields_names=[f]))}
        # the sweep sees each kind of secret with a value
        self.assertLessEqual({
                ('web.user', 'password_hash'), ('web.user', 'email_token'),
                ('web.user', 'reset_password_token'),
                ('web.user.session', 'key'),
                ('portal.phone.code', 'code_hash'),
                ('client_card.sync.target', 'secret')}, found)
        for group in Group.search([]):
            user = self.user_of([], f'probe_{group.id}')
            user.groups = [group]
            user.save()
            with Transaction().set_user(user.id), check_access():
                for Model, field in secrets:
                    with self.subTest(group=group.name,
                            model=Model.__name__, field=field):
                        try:
                            values = Model.search_read(
                                [], limit=50, fields_names=[field])
                        except AccessError:
                            continue
                        self.assertFalse(
                            [v[field] for v in values if v[field]])

    @with_transaction()
    def test_roles_match_the_documented_matrix(self):
        "Each role has on each model exactly the rights docs/security.md says"
        pool = Pool()
        Access = pool.get('ir.model.access')
        matrix = documented_matrix()
        self.assertEqual(set(next(iter(matrix.values()))), set(ROLES))
        for role, groups in ROLES.items():
            user = self.user_of(groups, f"role_{role.replace(' ', '_')}")
            with Transaction().set_user(user.id):
                access = Access.get_access(list(matrix))
            for model, rights in matrix.items():
                with self.subTest(role=role, model=model):
                    self.assertEqual({
                            letter for letter, name in PERMISSIONS.items()
                            if access[model][name]}, rights[role])

    @with_transaction()
    def test_accountant_changes_no_client_data(self):
        "The accountant reads the clients' data and changes none of it"
        pool = Pool()
        Party = pool.get('party.party')
        Mechanism = pool.get('party.contact_mechanism')
        Identifier = pool.get('party.identifier')
        WebUser = pool.get('web.user')
        party = Party(name="Studio Rossi", contact_mechanisms=[
                {'type': 'email', 'value': 'studio@rossi.example'}],
            identifiers=[{'type': 'eu_vat', 'code': 'IT00743110157'}])
        party.save()
        accountant = self.user_of(ROLES['accountant'], 'accountant')
        with Transaction().set_user(accountant.id), check_access():
            party, = Party.search([('id', '=', party.id)])
            self.assertEqual(party.name, "Studio Rossi")
            for Model, records, values in [
                    (Party, [party], {'name': "Someone else"}),
                    (Mechanism, party.contact_mechanisms,
                        {'value': 'evil@outside.example'}),
                    (Identifier, party.identifiers, {'code': 'IT0'}),
                    ]:
                with self.subTest(model=Model.__name__):
                    with self.assertRaises(AccessError):
                        Model.write(list(records), values)
            with self.assertRaises(AccessError):
                WebUser.search([])

    @with_transaction()
    def test_card_records_follow_the_client(self):
        "A web user reaches the records of their own card only"
        pool = Pool()
        Party = pool.get('party.party')
        ModelData = pool.get('ir.model.data')
        Document = pool.get('party.card.document')
        Member = pool.get('party.card.household')
        History = pool.get('party.card.history')
        Confirmation = pool.get('party.card.confirmation')
        own, other = Party.create([{'name': "Anna"}, {'name': "Bruno"}])
        for party in [own, other]:
            Document.create([{'party': party.id, 'type': 'passport',
                        'number': f'YA{party.id}', 'issuer': 'Questura',
                        'issue_date': dt.date(2020, 1, 1),
                        'expiry_date': dt.date(2030, 1, 1)}])
            Member.create([{'party': party.id, 'name': 'Figlio',
                        'relation': 'child'}])
        portal = ModelData.get_id('portal', 'user_portal')
        with Transaction().set_user(portal), Transaction().set_context(
                web_user_parties=[own.id]), check_access():
            for Model in [Document, Member, History, Confirmation]:
                with self.subTest(model=Model.__name__):
                    self.assertFalse(Model.search(
                            [('party', '=', other.id)]))
            self.assertEqual(len(Document.search([])), 1)
            document, = Document.search([])
            with self.assertRaises(AccessError):
                Document.read([document.id + 1], ['number'])
            with self.assertRaises(AccessError):
                Member.create([{'party': other.id, 'name': 'Intruso',
                            'relation': 'other'}])

    @with_transaction()
    def test_portal_reads_no_marketplace_identity(self):
        "The portal group reads neither an offer's agent nor a request's user"
        pool = Pool()
        FieldAccess = pool.get('ir.model.field.access')
        try:
            pool.get('marketplace.offer')
        except KeyError:
            self.skipTest("agent_marketplace is not activated")
        portal = self.user_of(['portal.group_portal'], 'portal_probe')
        with Transaction().set_user(portal.id):
            for model, field in [
                    ('marketplace.offer', 'agent'),
                    ('marketplace.offer', 'dispatch'),
                    ('marketplace.request', 'web_user'),
                    ('marketplace.request', 'excluded_agents')]:
                with self.subTest(model=model, field=field):
                    self.assertFalse(
                        FieldAccess.get_access([model])[model][field]['read'])


del PlatformTestCase
