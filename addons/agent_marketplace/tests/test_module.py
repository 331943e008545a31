# This file is part of the insurance intermediary platform.
import datetime as dt
import os
import tempfile
import threading
import unittest
from decimal import Decimal

from trytond import backend
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.portal.tests.tools import (
    PlatformModuleTestCase, configured, load_translations, outbox)
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, with_transaction
from trytond.transaction import Transaction, check_access

from trytond.modules.agent_marketplace import rules
from trytond.modules.insurance_ticket import accounting
from trytond.modules.agent_marketplace.agent import (
    check_mobile, check_postal_code)

PHOTO = (b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00'
    b'\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8'
    b'\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82')


def insurer(code, name):
    pool = Pool()
    Party = pool.get('party.party')
    Insurer = pool.get('marketplace.insurer')
    record = Insurer(code=code, name=name, party=Party(name=name))
    record.party.save()
    record.save()
    return record


def web_user(email, phone='+989121234567', language='fa'):
    pool = Pool()
    WebUser = pool.get('web.user')
    Party = pool.get('party.party')
    Lang = pool.get('ir.lang')
    lang, = Lang.search([('code', '=', language)])
    party = Party(name=email.split('@')[0], lang=lang,
        contact_mechanisms=[{'type': 'email', 'value': email}])
    party.save()
    user = WebUser(email=email, password='Agent2026x', party=party,
        phone=phone, email_valid=True, first_name="Sara",
        surname="Ahmadi")
    user.save()
    return user


def agent(email, insurers, code, state='active', provinces=(), lines=(),
        trial=True):
    pool = Pool()
    Agent = pool.get('marketplace.agent')
    Subscription = pool.get('marketplace.subscription')
    Province = pool.get('marketplace.province')
    user = web_user(email, phone='+98912%07d' % (hash(email) % 10 ** 7))
    record = Agent(web_user=user, party=user.party,
        agency_name=f"Agency {code}", agency_code=code,
        street="خیابان ولیعصر، پلاک ۱۲", city="تهران",
        province=Province.by_code('tehran'), postal_code='۱۵۱۱۸۳۳۱۱۱',
        phone=user.phone, insurers=list(insurers),
        provinces=list(provinces), lines=list(lines),
        licence_number=f'L-{code}', licence_issuer="Central Insurance",
        licence_issue_date=dt.date.today() - dt.timedelta(days=300),
        licence_expiry_date=dt.date.today() + dt.timedelta(days=300),
        licence_photo=PHOTO, licence_photo_name='licence.png',
        state=state)
    record.save()
    if trial:
        Subscription.start_trial(record)
    return record


class AgentMarketplaceTestCase(PlatformModuleTestCase):
    "Test the agent_marketplace module"
    module = 'agent_marketplace'

    def setUp(self):
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.sms_folder = folder.name
        patch = configured('sms', 'outbox', folder.name)
        patch.__enter__()
        self.addCleanup(patch.__exit__, None, None, None)

    def sms(self):
        texts = []
        for name in sorted(os.listdir(self.sms_folder)):
            with open(os.path.join(self.sms_folder, name)) as file:
                texts.append(file.read())
        return texts

    def world(self):
        pool = Pool()
        Line = pool.get('marketplace.line')
        Province = pool.get('marketplace.province')
        iran = insurer('iran', "Iran Insurance")
        asia = insurer('asia', "Asia Insurance")
        dana = insurer('dana', "Dana Insurance")
        user = web_user('user@bimehmall.example')
        user.phone_verified = True
        user.save()
        return {
            'iran': iran, 'asia': asia, 'dana': dana, 'user': user,
            'a1': agent('a1@bimehmall.example', [iran], '4465'),
            'a2': agent('a2@bimehmall.example', [iran], '5120'),
            'b1': agent('b1@bimehmall.example', [asia], '7731'),
            'car': Line.by_code('third_party_car'),
            'tehran': Province.by_code('tehran'),
            'fars': Province.by_code('fars'),
            }

    def post(self, world, insurers=('iran', 'asia'), province='tehran'):
        Request = Pool().get('marketplace.request')
        return Request.post(world['user'], world['car'], world[province],
            [world[i] for i in insurers], "پراید ۱۳۹۵، بیمه شخص ثالث",
            city="تهران", vehicle="Pride 131", vehicle_year=2016)

    def test_postal_code_and_mobile(self):
        "Iranian postal codes and mobiles, typed in any digits"
        self.assertEqual(check_postal_code('۱۵۱۱۸-۳۳۱۱۱'), '1511833111')
        self.assertEqual(check_postal_code('١٥١١٨٣٣١١١'), '1511833111')
        self.assertIsNone(check_postal_code('0511833111'))
        self.assertIsNone(check_postal_code('12345'))
        self.assertEqual(check_mobile('۰۹۱۲ ۱۲۳ ۴۵۶۷'), '+989121234567')
        self.assertEqual(check_mobile('+98 912 123 4567'), '+989121234567')
        self.assertIsNone(check_mobile('+98 21 8888 1234'))
        self.assertIsNone(check_mobile('+39 333 123 4567'))

    @with_transaction()
    def test_agent_life_cycle(self):
        "Draft, documents sent, rejected with a reason, verified, active"
        pool = Pool()
        Agent = pool.get('marketplace.agent')
        iran = insurer('iran', "Iran Insurance")
        record = agent('new@bimehmall.example', [iran], '9001',
            state='draft')
        self.assertEqual(record.postal_code, '1511833111')
        Agent.send_documents([record])
        with self.assertRaises(UserError):
            Agent.reject([record])
        record.rejection_reason = "The licence photo is unreadable."
        record.save()
        Agent.reject([record])
        self.assertEqual(record.state, 'rejected')
        Agent.send_documents([record])
        Agent.verify([record])
        self.assertEqual(record.state, 'verified')
        self.assertTrue(record.verified_at)
        Agent.activate([record])
        self.assertEqual(record.state, 'active')
        templates = [m['Subject'] for m in outbox(
                'agent_marketplace/email/agent.html')]
        self.assertEqual(len(templates), 3)
        rejected = outbox('agent_marketplace/email/agent.html')[0]
        self.assertIn("The licence photo is unreadable.",
            rejected.get_body(('plain',)).get_content())
        # a licence expired suspends the agent, one near expiry warns it
        record.licence_expiry_date = dt.date.today() - dt.timedelta(days=1)
        record.save()
        Agent.check_licences()
        self.assertEqual(record.state, 'suspended')
        self.assertEqual(len(outbox('agent_marketplace/email/agent.html')), 4)

    @with_transaction()
    def test_rules_accepted_as_consent_record(self):
        "An agency's acceptance of the rules is a sealed consent record"
        pool = Pool()
        Form = pool.get('consent.form')
        iran = insurer('iran', "Iran Insurance")
        record = agent('rules@bimehmall.example', [iran], '9100',
            state='draft')
        consent = rules.accept(record, 'fa', ip_address='127.0.0.1')
        self.assertEqual(record.rules_consent, consent)
        self.assertEqual(consent.answer, 'given')
        self.assertEqual(consent.channel, 'portal')
        self.assertTrue(consent.validation_string)
        self.assertTrue(consent.text_hash)
        # the rules are never asked of the clients' steps
        self.assertNotIn(consent.form, Form.search([]))
        second = agent('rules2@bimehmall.example', [iran], '9101',
            state='draft')
        self.assertEqual(rules.accept(second, 'en').version, consent.version)

    @with_transaction()
    def test_dispatch_by_insurer_province_and_line(self):
        "A request reaches the active, subscribed agents of its insurers"
        pool = Pool()
        Line = pool.get('marketplace.line')
        world = self.world()
        life = Line.by_code('life')
        agent('fars@bimehmall.example', [world['iran']], '6001',
            provinces=[world['fars']])
        agent('life@bimehmall.example', [world['asia']], '6002',
            lines=[life])
        agent('dana@bimehmall.example', [world['dana']], '6003')
        agent('draft@bimehmall.example', [world['iran']], '6004',
            state='documents_sent')
        request = self.post(world)
        self.assertEqual(
            sorted(d.agent.agency_code for d in request.dispatches),
            ['4465', '5120', '7731'])
        # the messages of this test's agents (the race commits its own)
        self.assertEqual(len([m for m in outbox(
                        'agent_marketplace/email/dispatch.html')
                    if m['To'].split('@')[0] in {'a1', 'a2', 'b1'}]), 3)
        texts = self.sms()
        self.assertEqual(len(texts), 3)
        self.assertIn("درخواست", texts[0])
        fars = self.post(world, insurers=('iran',), province='fars')
        self.assertEqual(
            sorted(d.agent.agency_code for d in fars.dispatches),
            ['4465', '5120', '6001'])

    @with_transaction()
    def test_services_people_came_for(self):
        "Agents and people of the marketplace use its pages, not Italy's"
        pool = Pool()
        Signup = pool.get('portal.signup')
        world = self.world()
        italian = web_user('cliente@example.it', phone='+393331234567',
            language='it')
        self.assertEqual(italian.portal_services(), {'intermediary'})
        self.assertEqual(world['a1'].web_user.portal_services(),
            {'marketplace'})
        # a person posting a request uses the marketplace too
        self.assertEqual(world['user'].portal_services(), {'intermediary'})
        self.post(world)
        self.assertEqual(world['user'].portal_services(),
            {'intermediary', 'marketplace'})
        data = {'first_name': "Maryam", 'surname': "Rezaei",
            'email': 'maryam@example.ir', 'phone': '+989125551234',
            'password': 'Karbar2026x', 'language': 'fa'}
        signup = Signup.sign_up(dict(data, service='marketplace'))
        self.assertTrue(signup.web_user.marketplace)
        self.assertEqual(signup.web_user.portal_services(), {'marketplace'})
        signup = Signup.sign_up(dict(data, email='mario@example.it'))
        self.assertFalse(signup.web_user.marketplace)

    @with_transaction()
    def test_phone_verified_first(self):
        "Posting needs a phone verified by SMS"
        world = self.world()
        world['user'].phone_verified = False
        world['user'].save()
        with self.assertRaises(UserError):
            self.post(world)

    @with_transaction()
    def test_one_offer_per_insurer(self):
        "The second agent of an insurer is refused, another insurer's not"
        pool = Pool()
        Offer = pool.get('marketplace.offer')
        load_translations('agent_marketplace', ('fa',))
        world = self.world()
        request = self.post(world)
        Offer.declare(world['a1'], request, "آماده خدمت هستم")
        with Transaction().set_context(language='fa'):
            with self.assertRaises(UserError) as raised:
                Offer.declare(world['a2'], request, "من هم")
        self.assertIn("نماینده دیگری", str(raised.exception))
        with self.assertRaises(UserError):
            Offer.declare(world['a1'], request, "again")
        Offer.declare(world['b1'], request, "Ready")
        self.assertEqual(len(request.offers), 2)
        # the database's unique index holds without the Python check
        with self.assertRaises(UserError):
            Offer.create([{
                        'request': request.id, 'agent': world['a2'].id,
                        'insurer': world['iran'].id, 'message': "x"}])

    @with_transaction()
    def test_reveal_after_acceptance(self):
        "The agency and the person's contact are shown only on acceptance"
        pool = Pool()
        Offer = pool.get('marketplace.offer')
        Request = pool.get('marketplace.request')
        world = self.world()
        request = self.post(world)
        a1 = Offer.declare(world['a1'], request, "Ready")
        b1 = Offer.declare(world['b1'], request, "Ready too")

        def as_web_user(user, func):
            with Transaction().set_user(
                    pool.get('ir.model.data').get_id('portal', 'user_portal')
                    ), Transaction().set_context(
                        web_user=user.id,
                        web_user_parties=[user.party.id]), check_access():
                return func()

        def offers():
            return [(o.agency_code, o.agency_name) for o in Offer.search(
                    [('request', '=', request.id)], order=[('id', 'ASC')])]

        def contact():
            return Request(request.id).contact_phone

        self.assertEqual(as_web_user(world['user'], offers),
            [(None, None), (None, None)])
        self.assertIsNone(as_web_user(world['a1'].web_user, contact))
        with self.assertRaises(AccessError):
            as_web_user(world['user'], lambda: Offer.read([a1.id], ['agent']))
        Agent = pool.get('marketplace.agent')
        self.assertEqual(as_web_user(world['user'], lambda: Agent.search(
                    [('id', '=', world['a1'].id)])), [])
        request.accept(a1)
        self.assertEqual(as_web_user(world['user'], offers),
            [('4465', "Agency 4465"), (None, None)])
        self.assertEqual(as_web_user(world['a1'].web_user, contact),
            world['user'].phone)
        self.assertIsNone(as_web_user(world['b1'].web_user, contact))
        request.confirm()
        self.assertEqual(Offer(b1.id).state, 'closed')
        self.assertEqual(request.state, 'agreed')
        subjects = [m['To'] for m in outbox(
                'agent_marketplace/email/offer.html')]
        self.assertIn('b1@bimehmall.example', subjects)

    @with_transaction()
    def test_end_and_post_again(self):
        "Post again goes to everyone but the agent the cooperation ended with"
        pool = Pool()
        Offer = pool.get('marketplace.offer')
        world = self.world()
        request = self.post(world)
        offer = Offer.declare(world['a1'], request, "Ready")
        request.accept(offer)
        with self.assertRaises(UserError):
            request.end("")
        request.end("No agreement on the price")
        self.assertEqual(request.state, 'ended')
        again = request.post_again()
        self.assertEqual(again.previous, request)
        self.assertEqual(
            sorted(d.agent.agency_code for d in again.dispatches),
            ['5120', '7731'])
        self.assertIn(world['a1'], again.excluded_agents)

    @with_transaction()
    def test_expiry_stops_dispatch_and_reminders(self):
        "An ended trial gets no new requests; offers made stay valid"
        pool = Pool()
        Offer = pool.get('marketplace.offer')
        Subscription = pool.get('marketplace.subscription')
        Request = pool.get('marketplace.request')
        world = self.world()
        request = self.post(world)
        offer = Offer.declare(world['a1'], request, "Ready")
        trial, = world['a1'].subscriptions
        trial.start_date = dt.date.today() - dt.timedelta(days=20)
        trial.end_date = dt.date.today() - dt.timedelta(days=1)
        trial.save()
        self.assertFalse(world['a1'].can_answer)
        later = self.post(world)
        self.assertEqual(
            sorted(d.agent.agency_code for d in later.dispatches),
            ['5120', '7731'])
        self.assertEqual(Offer(offer.id).state, 'open')
        with self.assertRaises(UserError):
            Offer.declare(world['a1'], later, "Ready")
        Subscription.remind_renewals()
        self.assertEqual(len(self.sms_for('+98', 'اشتراک')), 1)
        # an unanswered request is reminded once after the hours set
        reminded = Request.remind_unanswered(
            now=dt.datetime.now() + dt.timedelta(hours=25))
        self.assertEqual(reminded, [later])
        self.assertEqual(Request.remind_unanswered(
                now=dt.datetime.now() + dt.timedelta(hours=50)), [])

    def sms_for(self, prefix, word):
        return [t for t in self.sms() if prefix in t and word in t]

    @with_transaction()
    def test_paid_periods_invoiced(self):
        "A paid period is a posted invoice; the staff record the payment"
        pool = Pool()
        Plan = pool.get('marketplace.plan')
        Subscription = pool.get('marketplace.subscription')
        Currency = pool.get('currency.currency')
        currency = Currency(name="Iranian Rial", code='IRR', symbol='﷼',
            digits=0, rounding=Decimal(1))
        currency.save()
        company = create_company(currency=currency)
        with set_company(company):
            accounting.ensure_chart(company)
            accounting.ensure_fiscalyear(company)
            monthly, = Plan.search([('code', '=', 'monthly')])
            monthly.account = accounting.revenue_account(company)
            monthly.save()
            iran = insurer('iran', "Iran Insurance")
            record = agent('paid@bimehmall.example', [iran], '8001')
            subscription = Subscription.subscribe(record, monthly)
            invoice = subscription.invoice
            self.assertEqual(invoice.state, 'posted')
            self.assertEqual(invoice.total_amount, Decimal('5000000'))
            self.assertEqual(invoice.party, record.party)
            trial = [s for s in record.subscriptions if s.state == 'trial'][0]
            self.assertEqual(subscription.start_date, dt.date.today())
            self.assertGreaterEqual(subscription.end_date, trial.end_date)
            Subscription.record_payment([subscription])
            self.assertEqual(subscription.state, 'paid')
            self.assertEqual(record.subscribed_until, subscription.end_date)

    @unittest.skipIf(backend.name != 'postgresql', "needs concurrent writers")
    def test_concurrent_declarations(self):
        "Agents of one insurer answering at once: exactly one succeeds"
        with Transaction().start(DB_NAME, 0) as transaction:
            iran = insurer('race', "Race Insurance")
            Line = Pool().get('marketplace.line')
            Province = Pool().get('marketplace.province')
            Request = Pool().get('marketplace.request')
            agents = [agent(f'race{i}@bimehmall.example', [iran], f'R{i}')
                for i in range(4)]
            user = web_user('race-user@bimehmall.example')
            user.phone_verified = True
            user.save()
            request = Request.post(user, Line.by_code('life'),
                Province.by_code('tehran'), [iran], "Race")
            request_id, agent_ids = request.id, [a.id for a in agents]
            transaction.commit()
        barrier = threading.Barrier(len(agent_ids))
        results = []

        def declare(agent_id):
            with Transaction().start(DB_NAME, 0) as transaction:
                pool = Pool()
                Agent = pool.get('marketplace.agent')
                Offer = pool.get('marketplace.offer')
                Request = pool.get('marketplace.request')
                barrier.wait()
                try:
                    Offer.declare(Agent(agent_id), Request(request_id), "Go")
                    transaction.commit()
                    results.append('ok')
                except UserError:
                    transaction.rollback()
                    results.append('refused')

        threads = [threading.Thread(target=declare, args=(a,))
            for a in agent_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(results), ['ok'] + ['refused'] * 3)
        with Transaction().start(DB_NAME, 0):
            Offer = Pool().get('marketplace.offer')
            self.assertEqual(
                Offer.search_count([('request', '=', request_id)]), 1)


del PlatformModuleTestCase
