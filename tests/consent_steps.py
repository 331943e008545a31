"""The steps of the consent registry the end-to-end tests share."""


def publish(office, version):
    """Publish a version through the back office's publish wizard; return
    how many clients it asks again."""
    wizard = 'wizard.consent.form.version.publish'
    context = {'active_model': 'consent.form.version',
        'active_id': version, 'active_ids': [version]}
    session_id, _, _ = office.call(f'{wizard}.create', context)
    start = office.call(
        f'{wizard}.execute', session_id, {}, 'start', context)
    office.call(f'{wizard}.execute', session_id, {}, 'publish', context)
    return start['view']['defaults']['count']
