# This file is part of the insurance intermediary platform.
"""Demo data of the marketplace ("Bimeh Mall"): three insurers, agents in
every state (the contract's logins among them), people with verified
phones and requests in every state, with Persian names and addresses."""
import datetime as dt
from decimal import Decimal

from trytond.pool import Pool
from trytond.transaction import Transaction

from trytond.modules.insurance_ticket import accounting

from . import rules

AGENT_PASSWORD = 'Agent2026'
USER_PASSWORD = 'Karbar2026'

INSURERS = [
    ('iran', "Iran Insurance", "بیمه ایران", "Assicurazioni Iran"),
    ('asia', "Asia Insurance", "بیمه آسیا", "Assicurazioni Asia"),
    ('dana', "Dana Insurance", "بیمه دانا", "Assicurazioni Dana"),
    ]
# email, first name, surname, insurer, agency name, code, street, city,
# province, postal code, mobile, state, trial days left
AGENTS = [
    ('agent.iran1@bimehmall.example', "علی", "رضایی", 'iran',
        "نمایندگی رضایی", '4465', "خیابان ولیعصر، بالاتر از پارک ساعی، پلاک ۱۲",
        "تهران", 'tehran', '1511833111', '+989121110001', 'active', 30),
    ('agent.iran2@bimehmall.example', "مریم", "کریمی", 'iran',
        "نمایندگی کریمی", '5120', "خیابان شریعتی، نرسیده به میرداماد، پلاک ۴۵",
        "تهران", 'tehran', '1547913811', '+989121110002', 'active', 30),
    ('agent.asia1@bimehmall.example', "حسین", "محمدی", 'asia',
        "نمایندگی محمدی", '7731', "خیابان آزادی، کوچه نهم، پلاک ۷",
        "تهران", 'tehran', '1345673111', '+989121110003', 'active', 30),
    ('agent.waiting@bimehmall.example', "زهرا", "حسینی", 'dana',
        "نمایندگی حسینی", '8802', "خیابان چهارباغ عباسی، پلاک ۹۰",
        "اصفهان", 'isfahan', '8173914511', '+989131110004',
        'documents_sent', 10),
    ('agent.expired@bimehmall.example', "رضا", "احمدی", 'asia',
        "نمایندگی احمدی", '7745', "بلوار زند، روبروی بیمارستان، پلاک ۳",
        "شیراز", 'fars', '7134845111', '+989171110005', 'active', -3),
    ]
# email, first name, surname, mobile, city, province
USERS = [
    ('user.tehran@bimehmall.example', "سارا", "نوری", '+989351110010',
        "تهران", 'tehran'),
    ('user.shiraz@bimehmall.example', "امیر", "جعفری", '+989171110011',
        "شیراز", 'fars'),
    ]
# user index, line, insurers, description, vehicle, year, final state
REQUESTS = [
    (0, 'third_party_car', ['iran', 'asia'],
        "بیمه شخص ثالث برای پراید مدل ۱۳۹۵، بدون خسارت در دو سال گذشته.",
        "پراید ۱۳۱", 2016, 'open'),
    (0, 'fire', ['iran', 'dana'],
        "بیمه آتش‌سوزی آپارتمان ۹۰ متری در طبقه سوم.", None, None,
        'accepted'),
    (1, 'car_body', ['asia', 'iran'],
        "بیمه بدنه برای پژو ۲۰۶ مدل ۱۴۰۰.", "پژو ۲۰۶", 2021, 'agreed'),
    (0, 'health', ['iran'],
        "بیمه درمان تکمیلی برای خانواده سه نفره.", None, None, 'ended'),
    (1, 'travel', ['asia'],
        "بیمه مسافرتی برای سفر دو هفته‌ای به ترکیه.", None, None,
        'cancelled'),
    ]


def load():
    company = load_accounting()
    insurers = load_insurers()
    agents = load_agents(insurers)
    users = load_users()
    load_requests(users, insurers, agents)
    load_paid_plan(company, agents)


def load_accounting():
    "A chart of accounts and the rial, through Tryton's own wizard."
    pool = Pool()
    Company = pool.get('company.company')
    Currency = pool.get('currency.currency')
    Plan = pool.get('marketplace.plan')
    company, = Company.search([], limit=1)
    rial = Currency(name="Iranian Rial", code='IRR', symbol='﷼',
        numeric_code='364', digits=0, rounding=Decimal(1),
        rates=[{'date': dt.date(2026, 1, 1), 'rate': Decimal(1200000)}])
    rial.save()
    if not company.currency.rates:
        company.currency.rates = [
            {'date': dt.date(2026, 1, 1), 'rate': Decimal(1)}]
        company.currency.save()
    with Transaction().set_context(company=company.id):
        accounting.ensure_chart(company)
        accounting.ensure_fiscalyear(company)
        account = accounting.revenue_account(company)
        Plan.write(Plan.search([('kind', '!=', 'trial')]),
            {'account': account.id})
    return company


def load_insurers():
    pool = Pool()
    Insurer = pool.get('marketplace.insurer')
    Party = pool.get('party.party')
    insurers = {}
    for code, english, persian, italian in INSURERS:
        party = Party(name=english)
        party.save()
        insurer = Insurer(code=code, name=english, party=party)
        insurer.save()
        for language, name in [('fa', persian), ('it', italian)]:
            with Transaction().set_context(language=language):
                Insurer.write([Insurer(insurer.id)], {'name': name})
        insurers[code] = insurer
    return insurers


def web_user(email, first_name, surname, phone, password):
    pool = Pool()
    Party = pool.get('party.party')
    Lang = pool.get('ir.lang')
    WebUser = pool.get('web.user')
    persian, = Lang.search([('code', '=', 'fa')])
    party = Party(name=f'{first_name} {surname}', lang=persian,
        contact_mechanisms=[
            {'type': 'email', 'value': email},
            {'type': 'mobile', 'value': phone}])
    party.save()
    user = WebUser(email=email, password=password, email_valid=True,
        party=party, first_name=first_name, surname=surname, phone=phone,
        phone_verified=True, marketplace=True)
    user.save()
    return user


def load_agents(insurers):
    pool = Pool()
    Agent = pool.get('marketplace.agent')
    Province = pool.get('marketplace.province')
    Subscription = pool.get('marketplace.subscription')
    today = dt.date.today()
    agents = {}
    for (email, first_name, surname, insurer, agency, code, street, city,
            province, postal_code, phone, state, days) in AGENTS:
        user = web_user(email, first_name, surname, phone, AGENT_PASSWORD)
        agent = Agent(web_user=user, party=user.party, agency_name=agency,
            agency_code=code, street=street, city=city,
            province=Province.by_code(province), postal_code=postal_code,
            phone=phone, insurers=[insurers[insurer]],
            licence_number=f'IR-{code}-1402',
            licence_issuer="بیمه مرکزی جمهوری اسلامی ایران",
            licence_issue_date=today - dt.timedelta(days=400),
            licence_expiry_date=today + dt.timedelta(days=700),
            licence_photo=licence_image(), licence_photo_name='licence.png',
            identity_document=licence_image(),
            identity_document_name='identity.png')
        agent.save()
        trial = Subscription.start_trial(agent)
        rules.accept(agent, 'fa')
        trial.end_date = today + dt.timedelta(days=days)
        trial.start_date = min(trial.start_date, trial.end_date)
        trial.save()
        Agent.send_documents([agent])
        if state == 'active':
            Agent.verify([agent])
            Agent.activate([agent])
        agents[email.split('@')[0]] = agent
    return agents


def licence_image():
    "A small PNG standing for a scanned licence."
    import io

    from PIL import Image
    output = io.BytesIO()
    Image.new('RGB', (120, 80), (230, 236, 245)).save(output, 'PNG')
    return output.getvalue()


def load_users():
    return [web_user(email, first_name, surname, phone, USER_PASSWORD)
        for email, first_name, surname, phone, _city, _province in USERS]


def load_requests(users, insurers, agents):
    pool = Pool()
    Line = pool.get('marketplace.line')
    Province = pool.get('marketplace.province')
    Request = pool.get('marketplace.request')
    Offer = pool.get('marketplace.offer')
    for (user_index, line, codes, description, vehicle, year,
            state) in REQUESTS:
        user = users[user_index]
        _, _, _, _, city, province = USERS[user_index]
        request = Request.post(user, Line.by_code(line),
            Province.by_code(province), [insurers[c] for c in codes],
            description, city=city, vehicle=vehicle, vehicle_year=year)
        offers = []
        for name, message in [
                ('agent.iran1', "سلام، آماده خدمت هستم. لطفاً کارت خودرو "
                    "و بیمه‌نامه قبلی را آماده کنید."),
                ('agent.asia1', "درود، با بهترین تخفیف عدم خسارت در "
                    "خدمتم.")]:
            agent = agents[name]
            if any(d.agent == agent for d in request.dispatches):
                offers.append(Offer.declare(agent, request, message))
        if state == 'cancelled':
            request.cancel()
            continue
        if state == 'open' or not offers:
            continue
        request.accept(offers[0])
        if state in {'agreed', 'ended'}:
            request.confirm()
        if state == 'ended':
            request.end("در مبلغ حق بیمه به توافق نرسیدیم.")
            request.post_again()


def load_paid_plan(company, agents):
    "agent.iran1 bought a monthly period and its payment is recorded."
    pool = Pool()
    Plan = pool.get('marketplace.plan')
    Subscription = pool.get('marketplace.subscription')
    monthly, = Plan.search([('code', '=', 'monthly')])
    with Transaction().set_context(company=company.id):
        subscription = Subscription.subscribe(agents['agent.iran1'], monthly)
        Subscription.record_payment([subscription])
