# This file is part of the insurance intermediary platform.
"""The portal shell: home, dashboard, language, logout, health."""
from flask import (
    Blueprint, flash, redirect, render_template, request, session, url_for)

from . import auth
from .extensions import dashboard_of, welcome_of
from .i18n import LANGUAGES, current_language
from .i18n import gettext as _
from .auth import transaction
from .tryton import tryton

blueprint = Blueprint(
    'portal', __name__,
    template_folder='../templates',
    static_folder='../static', static_url_path='/static')


@blueprint.route('/')
def index():
    if not auth.is_logged_in():
        return render_template('portal/welcome.html',
            sections=welcome_of(current_language()))
    return dashboard()


@transaction(restricted=True)
def dashboard():
    user = auth.current_user()
    return render_template(
        'portal/dashboard.html', user=user,
        sections=[section(user)
            for section in dashboard_of(session.get('roles') or ())])


@blueprint.route('/lang/<code>')
def language(code):
    if code in LANGUAGES:
        session['language'] = code
    return redirect(auth.safe_next(request.args.get('next')))


@blueprint.route('/logout', methods=['POST'])
@transaction(readonly=False)
def logout():
    auth.end_session()
    flash(_("You are logged out."), 'info')
    return redirect(url_for('portal.index'))


@blueprint.route('/health')
def health():
    "Liveness: answers without opening a transaction."
    return {'status': 'ok'}


@blueprint.route('/health/database')
@transaction(readonly=True)
def health_database():
    "Readiness: one indexed count in a read-only transaction."
    Session = tryton.pool.get('web.user.session')
    Session.search_count([('key', '=', '')])  # indexed, finds nothing
    return {'status': 'ok'}
