"""Drive the back office, Tryton's web client sao, with Playwright."""
import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

TIMEOUT = 30000


def choose_database(page, database):
    "Pick the database in the login dialog: a list when the server has several."
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#database'))"
        ".some(e => e.offsetParent !== null && e.value)", timeout=TIMEOUT)
    choice = page.locator('select#database')
    if choice.is_visible():
        choice.select_option(database)
    elif page.locator('input#database').is_editable():
        page.locator('input#database').fill(database)


def login(page, platform, user, password):
    "Log into sao and wait for the menu."
    page.goto(f'{platform.url}/#{platform.database}')
    page.locator('#login').wait_for(timeout=TIMEOUT)
    choose_database(page, platform.database)
    page.locator('#login').fill(user)
    ask_password(page).fill(password, timeout=TIMEOUT)
    page.keyboard.press('Enter')
    expect(page.locator('#menu .column-char').first).to_be_visible(
        timeout=TIMEOUT)


def ask_password(page, tries=3):
    """Submit the login dialog, again while it stays idle, until sao asks
    for the password; report the dialogs shown when it never does."""
    submit = page.locator('.login-dialog button[type=submit]')
    prompt = page.locator('input[type=password]')
    for _ in range(tries):
        if submit.count() and submit.is_enabled():
            submit.click()
        try:
            prompt.wait_for(timeout=TIMEOUT // tries)
            return prompt
        except PlaywrightTimeout:
            continue
    shown = page.locator('.modal:visible').all_inner_texts()
    raise AssertionError(f"sao asked no password; dialogs shown: {shown}")


def tab(page):
    "The active tab."
    return page.locator('#tabcontent > .tab-pane.active')


def open_menu(page, *path):
    "Open the menu entry at the path of its names, expanding its folders."
    menu = page.locator('#menu')
    for folder, child in zip(path, path[1:]):
        entry = menu.locator(f'.column-char[title="{child}"]')
        if not entry.is_visible():
            menu.locator('tr', has=page.locator(f'[title="{folder}"]')
                ).locator('.expander').click()
        expect(entry).to_be_visible(timeout=TIMEOUT)
    menu.locator(f'.column-char[title="{path[-1]}"]').dblclick()
    expect(page.locator('#tablist li.active')).to_contain_text(
        path[-1], timeout=TIMEOUT)


def open_record(page, field, value):
    """Search the list of the active tab for the value of field, open the
    only match in the form and return its id."""
    rows = tab(page).locator('.treeview tbody tr')
    expect(rows.first).to_be_visible(timeout=TIMEOUT)
    # the search renders new rows: tell them from these
    rows.evaluate_all("rows => rows.forEach(r => r.dataset.stale = '')")
    search = tab(page).locator('.filter-box input').first
    search.fill(value)
    search.press('Enter')
    found = tab(page).locator('.treeview tbody tr:not([data-stale])')
    expect(found).to_have_count(1, timeout=TIMEOUT)
    # select, then open: when sao sets the list's address after the switch
    # to the form, it opens the list again in a new tab
    cell = found.get_by_text(value, exact=True)
    cell.click()
    expect(page).to_have_url(re.compile('search_value='), timeout=TIMEOUT)
    cell.dblclick()
    expect(form_field(page, field)).to_have_value(value, timeout=TIMEOUT)
    address = re.compile(r'/model/[\w.]+/(\d+)')
    expect(page).to_have_url(address, timeout=TIMEOUT)
    return int(address.search(page.url).group(1))


def form_field(page, name):
    "The input of the field name in the form of the active tab."
    return tab(page).locator(
        f'.form-container [name="{name}"]:is(input, select, textarea)').first


def selection(page, name):
    "The chosen option of the selection field name."
    return form_field(page, name).locator('option:checked')


def click_button(page, name):
    "Click the form button of the method name."
    tab(page).locator(f'.form-container button[name="{name}"]').click(
        timeout=TIMEOUT)


def fill_many2one(page, name, value):
    "Type value into the many2one field name and pick it in the completion."
    field = form_field(page, name)
    field.fill(value)
    tab(page).locator('.dropdown-completion li.completion a',
        has_text=value).click(timeout=TIMEOUT)
    expect(field).to_have_value(value, timeout=TIMEOUT)


def save(page):
    "Save the record of the active tab."
    button = tab(page).locator('button#save')
    button.click()
    expect(button).to_be_disabled(timeout=TIMEOUT)


def reload(page):
    "Reload the record of the active tab from the server."
    tab(page).locator('button#reload').click(timeout=TIMEOUT)


def gettext(page, text):
    "The translation of a text of sao itself in the user's language."
    return page.evaluate('text => Sao.i18n.gettext(text)', text)


def one2many(page, string):
    "The One2Many widget labelled string in the form of the active tab."
    label = page.locator('.form-one2many-string',
        has_text=re.compile(f'^{re.escape(string)}$'))
    return tab(page).locator('.form-one2many', has=label)


def dialog(page):
    "The form dialog shown over the tab."
    return page.locator('.window-form.modal.in')


def idle(page):
    "Wait until sao has no request to the server under way."
    page.wait_for_function('() => jQuery.active === 0', timeout=TIMEOUT)


def type_text(page, field, value, attempts=3):
    """Type the value in the field of a dialog. A new line's dialog may be
    displayed once more after it opened (no request under way tells when),
    wiping what was typed: the value is typed again then."""
    for _ in range(attempts):
        field.fill(value, timeout=TIMEOUT)
        # sao takes a typed value on "change": leave the field
        field.blur()
        idle(page)
        if field.input_value() == value:
            return
    expect(field).to_have_value(value)


def add_line(page, string, ready=None, **values):
    """Add a line to the One2Many labelled string through its form dialog,
    values by field name: booleans tick a checkbox, text is typed. Each
    change waits for sao's answer to it, or a late display would wipe what
    was typed; ``ready`` names a field the server's defaults fill."""
    new = gettext(page, "New")
    idle(page)
    one2many(page, string).locator(
        f'.form-one2many-toolbar button[title="{new}"]').click(
        timeout=TIMEOUT)
    form = dialog(page)
    expect(form).to_be_visible(timeout=TIMEOUT)
    if ready:
        expect(form.locator(f'[name="{ready}"]:is(input, textarea)').first
            ).not_to_have_value('', timeout=TIMEOUT)
    idle(page)
    # checkboxes first: ticking one displays the record again
    for name, value in sorted(
            values.items(), key=lambda i: not isinstance(i[1], bool)):
        field = form.locator(
            f'[name="{name}"]:is(input, select, textarea)').first
        if isinstance(value, bool):
            expect(field).to_be_enabled(timeout=TIMEOUT)
            if field.is_checked() != value:
                field.click(timeout=TIMEOUT)
            expect(field).to_be_checked(checked=value, timeout=TIMEOUT)
        else:
            type_text(page, field, value)
    for name, value in values.items():
        field = form.locator(f'[name="{name}"]:is(input, textarea)').first
        if not isinstance(value, bool) and field.input_value() != value:
            type_text(page, field, value)
    form.locator('.modal-footer button#save').click(timeout=TIMEOUT)
    expect(form).to_be_hidden(timeout=TIMEOUT)
    idle(page)
