# This file is part of the insurance intermediary platform.
"""Accounts: sign-up, email confirmation, login and password reset."""
import datetime as dt
import math

from flask import (
    flash, redirect, render_template, request, session, url_for)

from trytond import config
from trytond.exceptions import RateLimitException

from . import auth, forms
from .i18n import current_language
from .i18n import gettext as _
from .auth import transaction
from .tryton import tryton
from .views import blueprint


# HTTP status of the confirmation page by outcome (None: unknown token)
CONFIRM_CODES = {'confirmed': 200, 'expired': 410, None: 404}


def too_many(retry_at):
    "Answer 429 with a page telling when to try again."
    seconds = max(1, math.ceil((retry_at - dt.datetime.now()).total_seconds()))
    return render_template(
        'portal/rate_limited.html', minutes=math.ceil(seconds / 60)), 429, {
        'Retry-After': str(seconds)}


def limited(action):
    "Return the 429 answer when the address made too many requests."
    Attempt = tryton.pool.get('portal.attempt')
    retry_at = Attempt.retry_at(action)
    if retry_at:
        return too_many(retry_at)
    Attempt.add(action)


def refused_signup():
    """Return the answer to a sign-up posted too often from the address, or
    by a robot (it fills the field hidden from people); else None."""
    if answer := limited('signup'):
        return answer
    if request.form.get('website'):
        return render_template('portal/signup_refused.html'), 400
    return None


def create_account(data, **values):
    """Create the account of the checked sign-up data, with the visitor's
    language, address and browser and the values given; return the sign-up
    (None for an address that has an account: its owner is told)."""
    Signup = tryton.pool.get('portal.signup')
    data.update(language=current_language(), ip_address=request.remote_addr,
        user_agent=request.user_agent.string,
        privacy_consent_date=dt.datetime.now(), **values)
    signup = Signup.sign_up(data)
    forms.renew_captcha()
    session['signup_email'] = data['email']
    return signup


@blueprint.route('/signup', methods=['GET', 'POST'])
@transaction()
def signup():
    Subdivision = tryton.pool.get('country.subdivision')
    errors = {}
    if request.method == 'POST':
        if answer := refused_signup():
            return answer
        data, errors = forms.check_signup(request.form)
        if not errors:
            create_account(data)
            return redirect(url_for('portal.signup_done'))
    return render_template(
        'portal/signup.html', values=request.form, errors=errors,
        # the service the visitor signs up for, when a module's page says
        service=request.values.get('service', '')[:30],
        provinces=Subdivision.italian_provinces(),
        captcha=forms.captcha_code()), 400 if errors else 200


@blueprint.route('/signup/done')
def signup_done():
    return render_template(
        'portal/signup_done.html', email=session.get('signup_email'))


@blueprint.route('/privacy')
@transaction()
def privacy():
    Privacy = tryton.pool.get('portal.privacy')
    return render_template(
        'portal/privacy.html', notice=Privacy(1).notice())


@blueprint.route('/confirm')
def confirm_query():
    "Follow the links of the back office's email validation button."
    return redirect(url_for(
            'portal.confirm', token=request.args.get('token') or '-'))


@blueprint.route('/confirm/<token>')
@transaction(readonly=False)
def confirm(token):
    WebUser = tryton.pool.get('web.user')
    status = WebUser.confirm_email(token)
    return render_template('portal/confirm.html', status=status), \
        CONFIRM_CODES[status]


@blueprint.route('/confirm/resend', methods=['GET', 'POST'])
@transaction()
def confirm_resend():
    return email_request(
        'confirm_resend', 'portal/confirm_resend.html', False,
        lambda user: user.send_confirmation(),
        _("If an account waits for the confirmation of this "
            "address, a new link is on its way."))


def email_request(action, template, email_valid, send, notice):
    """Answer a form asking for an email to the address typed.

    The answer is the same whether or not an account matches, so the form
    tells nothing about which addresses have accounts."""
    WebUser = tryton.pool.get('web.user')
    values = request.form if request.method == 'POST' else request.args
    errors = forms.too_long(values, {})
    if request.method == 'POST':
        if answer := limited(action):
            return answer
        email = values.get('email', '').strip().lower()
        if not email:
            errors['email'] = _("This field is required.")
        else:
            users = WebUser.search([
                    ('email', '=', email),
                    ('email_valid', '=', email_valid),
                    ], limit=1)
            if users:
                send(users[0])
            flash(notice, 'success')
            return redirect(url_for('portal.login'))
    return render_template(template, values=values, errors=errors), \
        400 if errors else 200


@blueprint.route('/login', methods=['GET', 'POST'])
@transaction()
def login():
    pool = tryton.pool
    WebUser = pool.get('web.user')
    values = request.form
    if request.method == 'POST':
        email = values.get('login', '').strip().lower()
        try:
            user = WebUser.authenticate(email, values.get('password', ''))
        except RateLimitException:
            return too_many(dt.datetime.now() + dt.timedelta(
                    seconds=config.getint('session', 'timeout')))
        if user and not user.email_valid:
            return render_template(
                'portal/login.html', values=values, unconfirmed=True), 403
        if user:
            auth.start_session(user, remember=values.get('remember'))
            user.record_login()
            return redirect(auth.safe_next(request.args.get('next')))
        return render_template(
            'portal/login.html', values=values,
            error=_("Wrong email or password.")), 401
    return render_template('portal/login.html', values=values)


@blueprint.route('/reset', methods=['GET', 'POST'])
@transaction()
def reset():
    if request.args.get('token'):
        # A link of the back office's reset password button
        return redirect(url_for(
                'portal.reset_password', token=request.args['token']))
    return email_request(
        'reset', 'portal/reset.html', True,
        lambda user: user.send_password_reset(),
        _("If an account uses this address, an email with a link "
            "to choose a new password is on its way."))


@blueprint.route('/reset/<token>', methods=['GET', 'POST'])
@transaction()
def reset_password(token):
    WebUser = tryton.pool.get('web.user')
    user = WebUser.from_reset_token(token)
    if not user:
        return render_template('portal/reset_invalid.html'), 410
    errors = forms.too_long(request.form, {})
    if request.method == 'POST':
        password = forms.check_passwords(request.form, errors, user.email)
        if not errors:
            user.change_password(password)
            flash(_("Your password is changed: log in with the new one."),
                'success')
            return redirect(url_for('portal.login'))
    return render_template(
        'portal/reset_password.html', errors=errors), 400 if errors else 200
