# This file is part of the insurance intermediary platform.
"""The profile: contact data, identity change requests, password and the
phone check by SMS."""
from flask import flash, redirect, render_template, request, session, url_for

from . import auth, forms
from .extensions import menu_item
from .i18n import N_
from .i18n import gettext as _
from .auth import transaction
from .tryton import tryton
from .views import blueprint

IDENTITY_FIELDS = {
    'surname': N_("Surname"),
    'first_name': N_("First name"),
    'vat_code': N_("VAT number or client code"),
    'email': N_("Email"),
    }

CHECKS = {
    'email': forms.check_email,
    'vat_code': forms.check_vat_code,
    }

menu_item('portal.profile', N_("Profile"), sequence=90)


def profile_values(user):
    "Return the editable values of the profile as the form shows them."
    party = user.party
    address = party.addresses[0] if party and party.addresses else None
    subdivision = address.subdivision if address else None
    return {
        'phone': user.phone or '',
        'street': (address.street_name if address else '') or '',
        'street_number': (address.building_number if address else '') or '',
        'postal_code': (address.postal_code if address else '') or '',
        'city': (address.city if address else '') or '',
        'province': subdivision.code[3:] if subdivision else '',
        'management_software': user.management_software or '',
        'condominium_count': (
            '' if user.condominium_count is None
            else str(user.condominium_count)),
        }


def render_profile(user, status=200, **context):
    pool = tryton.pool
    Subdivision = pool.get('country.subdivision')
    Change = pool.get('portal.identity.change')
    context.setdefault('values', profile_values(user))
    context.setdefault('errors', {})
    return render_template(
        'portal/profile.html', user=user,
        # the address and the condominiums are the intermediary's data
        intermediary=is_intermediary(),
        provinces=Subdivision.italian_provinces(),
        identity_fields=IDENTITY_FIELDS,
        changes=Change.search([('web_user', '=', user.id)]),
        **context), status


@blueprint.route('/profile')
@transaction(restricted=True)
def profile():
    return render_profile(auth.current_user())


@blueprint.route('/profile', methods=['POST'])
@transaction(restricted=True)
def profile_update():
    user = auth.current_user()
    data, errors = forms.check_profile(request.form)
    if errors:
        return render_profile(
            user, 400, values=request.form, errors=errors)
    user.phone = data['phone']
    if is_intermediary():
        if user.party:
            save_address(user.party, data)
        user.management_software = data['management_software']
        user.condominium_count = data['condominium_count']
    user.save()
    flash(_("Your data is saved."), 'success')
    return redirect(url_for('portal.profile'))


def is_intermediary():
    "Tell whether the web user came for the Italian intermediary."
    return auth.holds('intermediary')


def save_address(party, data):
    "Write the checked address data on the party's first address."
    pool = tryton.pool
    Subdivision = pool.get('country.subdivision')
    Address = pool.get('party.address')
    province = Subdivision.italian_province(data['province'])
    address = party.addresses[0] if party.addresses else Address(party=party)
    address.street_name = data['street']
    address.building_number = data['street_number']
    address.postal_code = data['postal_code']
    address.city = data['city']
    address.subdivision = province
    address.country = province.country if province else address.country
    address.save()


@blueprint.route('/profile/change', methods=['POST'])
@transaction(restricted=True)
def profile_change():
    Change = tryton.pool.get('portal.identity.change')
    user = auth.current_user()
    form = forms.clean_text(request.form, ['field', 'new_value', 'note'])
    errors = forms.too_long(request.form, {})
    if form['field'] not in IDENTITY_FIELDS:
        errors['field'] = _("Choose the data to change.")
    elif not form['new_value']:
        errors['new_value'] = _("This field is required.")
    elif form['field'] in CHECKS:
        try:
            form['new_value'] = CHECKS[form['field']](form['new_value'])
        except ValueError as error:
            errors['new_value'] = str(error)
        if form['field'] == 'email' and not errors and forms.email_taken(
                form['new_value']):
            errors['new_value'] = _("Another account already uses this "
                "email.")
    if errors:
        return render_profile(
            user, 400, change_values=request.form, change_errors=errors)
    Change.create([{
                'web_user': user.id,
                'field': form['field'],
                'new_value': form['new_value'],
                'note': form['note'],
                }])
    flash(_("Your request is sent: the staff will check it and tell you "
            "by email."), 'success')
    return redirect(url_for('portal.profile'))


@blueprint.route('/profile/password', methods=['POST'])
@transaction(restricted=True)
def profile_password():
    user = auth.current_user()
    errors = forms.too_long(request.form, {})
    if not user.check_current_password(
            request.form.get('current_password')):
        errors['current_password'] = _("The current password is wrong.")
    password = forms.check_passwords(request.form, errors, user.email)
    if errors:
        return render_profile(user, 400, password_errors=errors)
    user.change_password(password, keep_session=session.get(auth.SESSION_KEY))
    flash(_("Your password is changed; your other sessions are closed."),
        'success')
    return redirect(url_for('portal.profile'))


@blueprint.route('/profile/phone')
@transaction(restricted=True)
def phone():
    PhoneCode = tryton.pool.get('portal.phone.code')
    user = auth.current_user()
    return render_template(
        'portal/phone.html', user=user, errors={},
        wait=PhoneCode.resend_in(user) if user.phone else 0)


@blueprint.route('/profile/phone/send', methods=['POST'])
@transaction(restricted=True)
def phone_send():
    PhoneCode = tryton.pool.get('portal.phone.code')
    user = auth.current_user()
    if not user.phone or user.phone_verified:
        return redirect(url_for('portal.phone'))
    wait = PhoneCode.issue(user)
    if wait:
        return render_template(
            'portal/phone.html', user=user, wait=wait, errors={},
            sent=False), 429, {'Retry-After': str(wait)}
    flash(_("A code is on its way to %(phone)s.", phone=user.phone),
        'success')
    return redirect(url_for('portal.phone'))


@blueprint.route('/profile/phone/verify', methods=['POST'])
@transaction(restricted=True)
def phone_verify():
    PhoneCode = tryton.pool.get('portal.phone.code')
    user = auth.current_user()
    status = PhoneCode.verify(user, request.form.get('code'))
    if status == 'verified':
        flash(_("Your phone number is verified."), 'success')
        return redirect(url_for('portal.profile'))
    messages = {
        'wrong': _("This code is wrong. Check the SMS and try again."),
        'locked': _("Too many wrong codes: ask for a new code."),
        'expired': _("This code has expired: ask for a new code."),
        'missing': _("Ask for a code first."),
        }
    return render_template(
        'portal/phone.html', user=user, wait=PhoneCode.resend_in(user),
        values=request.form, errors={'code': messages[status]}), \
        429 if status == 'locked' else 400
