"""End-to-end: the welcome page leads each visitor to the service of their
language, and a visitor signs up for the marketplace, as a person or as an
agent, without an account of the Italian intermediary."""
import re

import requests
from e2e import PASSWORD, BackOffice, csrf_token, errors, link, log_in, \
    unique_email, visitor


CONFIRM_SUBJECT = "نشانی ایمیل خود را تأیید کنید"


def welcome_sections(platform, language):
    page = visitor(language).get(f'{platform.url}/portal/').text
    return re.findall(r'aria-labelledby="(\w+)-title"', page), page


def test_welcome_page_leads_with_the_readers_service(platform):
    italian, page = welcome_sections(platform, 'it')
    assert italian == ['intermediary', 'marketplace']
    assert "Assicurarsi tramite l&#39;intermediario" in page
    persian, page = welcome_sections(platform, 'fa')
    assert persian == ['marketplace', 'intermediary']
    assert "یافتن نماینده بیمه" in page
    assert 'href="/portal/signup?service=marketplace"' in page
    assert 'href="/portal/agents/signup"' in page


def captcha(page):
    return re.search(r'id="captcha-code"[^>]*>([^<]+)<', page).group(1)


def account(page, email, **values):
    return {'csrf_token': csrf_token(page), 'surname': "رضایی",
        'first_name': "مریم", 'phone': '۰۹۱۲ ۵۵۵ ۱۲۳۴', 'email': email,
        'password': PASSWORD, 'password_repeat': PASSWORD,
        'captcha': captcha(page), 'privacy_consent': '1', **values}


def confirm_and_log_in(platform, email):
    message = platform.mailbox.wait_for(email, CONFIRM_SUBJECT)
    assert requests.get(link(message, 'confirm')).status_code == 200
    session, response = log_in(platform, email, PASSWORD,
        session=visitor('fa'))
    assert '/portal/login' not in response.url, errors(response.text)
    return session


def menu_links(session, platform):
    page = session.get(f'{platform.url}/portal/').text
    menu = page.split('<nav', 1)[1].split('</nav>', 1)[0]
    return set(re.findall(r'href="([^"]+)"', menu))


def test_person_signs_up_for_the_marketplace(platform):
    session = visitor('fa')
    page = session.get(
        f'{platform.url}/portal/signup?service=marketplace').text
    # no Italian company, condominium or province to fill in
    assert 'name="condominium_count"' not in page
    assert 'name="service" value="marketplace"' in page
    email = unique_email('karbar')
    response = session.post(f'{platform.url}/portal/signup',
        data=account(page, email, service='marketplace'))
    assert response.url.endswith('/portal/signup/done'), errors(
        response.text)
    session = confirm_and_log_in(platform, email)
    links = menu_links(session, platform)
    assert '/portal/market/requests' in links
    assert '/portal/tickets/' not in links
    # the profile asks the phone, not the Italian address or condominiums
    profile = session.get(f'{platform.url}/portal/profile').text
    assert 'name="phone"' in profile
    assert 'name="condominium_count"' not in profile
    assert 'name="province"' not in profile


def test_visitor_signs_up_as_an_agent(platform):
    session = visitor('fa')
    url = f'{platform.url}/portal/agents/signup'
    page = session.get(url).text
    assert 'name="password"' in page and 'name="agency_code"' in page
    email = unique_email('namayande')
    agency = {'agency_name': "نمایندگی رضایی", 'agency_code': '۹۹۱۷',
        'insurer': 'iran', 'licence_number': '۱۲۳۴۵۶', 'rules_accepted': '1'}
    # a bad field keeps everything typed and says what is wrong, beside it
    response = session.post(url, data=account(page, email,
            phone='333 123 4567', **agency))
    assert response.status_code == 400
    assert set(errors(response.text)) == {'phone'}
    assert 'value="نمایندگی رضایی"' in response.text
    page = response.text
    response = session.post(url, data=account(page, email, **agency))
    assert response.url.endswith('/portal/signup/done'), errors(
        response.text)
    agent, = BackOffice(platform).model('marketplace.agent', 'search_read',
        [('web_user.email', '=', email)], 0, 1, None,
        ['agency_code', 'state', 'phone', 'subscribed_until'])
    assert agent['agency_code'] == '9917'
    assert agent['phone'] == '+989125551234'
    assert agent['subscribed_until'], "the free trial has started"
    session = confirm_and_log_in(platform, email)
    links = menu_links(session, platform)
    assert '/portal/market/inbox' in links
    assert '/portal/card/' not in links
    assert session.get(f'{platform.url}/portal/market/agency').status_code \
        == 200
