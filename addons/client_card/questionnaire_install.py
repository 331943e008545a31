# This file is part of the insurance intermediary platform.
"""The questionnaires shipped with the module (questionnaires/*.json): the
demands-and-needs block of IVASS Reg. 40/2018 art. 58, asked before every
risk, the home (casa) and the condominium building (globale_fabbricati).

A database gets them, published, with their risk types, from the demo or
from this command:

    python -m trytond.modules.client_card.questionnaire_install \\
        -c <config> -d <database>

A questionnaire whose code the database already has is left as it is (staff
may have changed it). Without a demands-and-needs block in force the portal
offers no quote."""
import argparse
import json
import os
import sys

from trytond.pool import Pool
from trytond.transaction import Transaction

from . import questionnaire_json
from .questionnaire_engine import LANGUAGES

FOLDER = os.path.join(os.path.dirname(__file__), 'questionnaires')
SHIPPED = ['bisogni_assicurativi', 'casa', 'globale_fabbricati']
# the tickets' line of business of each shipped risk
LINES = {'casa': 'home', 'globale_fabbricati': 'building'}


def shipped(code):
    with open(os.path.join(FOLDER, f'{code}.json'), encoding='utf-8') as f:
        return json.load(f)


def install():
    "Publish the shipped questionnaires the database lacks; return them."
    pool = Pool()
    Questionnaire = pool.get('questionnaire')
    Version = pool.get('questionnaire.version')
    installed = []
    for code in SHIPPED:
        if Questionnaire.search([('code', '=', code)],
                limit=1) or Questionnaire.search([
                    ('code', '=', code), ('active', '=', False)], limit=1):
            continue
        data = shipped(code)
        version = questionnaire_json.load(data)
        Version.publish([version])
        installed.append(version)
        if data['kind'] == 'risk':
            risk_type(version.questionnaire, data)
    return installed


def risk_type(questionnaire, data):
    "Create the risk type of a shipped questionnaire, named as it is."
    RiskType = Pool().get('quote.risk.type')
    if RiskType.search([('code', '=', data['code'])]):
        return
    risk, = RiskType.create([{
                'code': data['code'],
                'name': data['name'].get('en') or data['name']['it'],
                'line_code': LINES.get(data['code']),
                'questionnaire': questionnaire.id,
                'sequence': SHIPPED.index(data['code']),
                }])
    for language in LANGUAGES:
        if language != 'en' and data['name'].get(language):
            with Transaction().set_context(language=language):
                RiskType.write([RiskType(risk.id)],
                    {'name': data['name'][language]})


def main(argv=None):
    from trytond import config as CONFIG
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', dest='config',
        default=os.environ.get('TRYTOND_CONFIG'))
    parser.add_argument('-d', '--database', required=True)
    options = parser.parse_args(argv)
    CONFIG.update_etc(options.config)
    from trytond.pool import Pool as _Pool
    _Pool.start()
    pool = _Pool(options.database)
    pool.init()
    with Transaction().start(options.database, 0, context={'language': 'en'}):
        for version in install():
            print(version.rec_name)
    return 0


if __name__ == '__main__':
    sys.exit(main())
