"""The steps of the quote area the end-to-end tests share."""
import re


def answer_forms_due(page):
    "Answer the consent forms a quote needs, when they are asked."
    if page.locator('#review-form').count():
        for radio in page.locator(
                '#review-form input[type=radio][value=acknowledged], '
                '#review-form input[type=radio][value=given]').all():
            radio.check()
        page.click('#review-form button[type=submit]')


def start_quote(page, platform, risk_type):
    """Ask for a quote of the risk type, the forms due answered first; the
    page is left on the new request's review."""
    page.goto(f'{platform.url}/portal/quotes/new')
    answer_forms_due(page)
    page.goto(f'{platform.url}/portal/quotes/new')
    page.check(f'input[name=risk_type][value={risk_type}]')
    page.click('form.form button[type=submit]')
    page.wait_for_url(re.compile(r'.*/portal/quotes/[0-9a-f]{32}$'))
