"""The steps of the quote area the end-to-end tests share."""


def answer_forms_due(page):
    "Answer the consent forms a quote needs, when they are asked."
    if page.locator('#review-form').count():
        for radio in page.locator(
                '#review-form input[type=radio][value=acknowledged], '
                '#review-form input[type=radio][value=given]').all():
            radio.check()
        page.click('#review-form button[type=submit]')
