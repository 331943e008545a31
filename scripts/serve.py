"""Serve the platform in one process: back office, JSON-RPC and portal.

    python scripts/serve.py [--database demo] [--listen 127.0.0.1:8000]
                            [--mail var/mail] [--cron] [--carddav 5232]
"""
import argparse
import datetime as dt
import logging
import os
import threading
import time

import environment

BANNER = """
The platform is serving on http://{listen}
  back office (Tryton web client)  http://{listen}/#{database}
  JSON-RPC                          http://{listen}/{database}/rpc/
  customer portal                   http://{listen}/portal/
  caught emails                     {mail}/ (SMTP on 127.0.0.1:{mail_port})
  scheduled actions                 {cron}
  CardDAV address book (Radicale)   {carddav}

Demo logins (back office at /, portal at /portal/):
  administrator  admin / Admin2026
  operator       operatore / Operatore2026
  accountant     contabile / Contabile2026
  broker         emilio.salerno@rbsbroker.example / Broker2026 (portal)
  client         daniela.spadafora@studiospadafora.example / Cliente2026 (portal)
  colleague      paolo.rinaldi@studiospadafora.example / Cliente2026 (portal)

Press Ctrl-C to stop.
"""


def run_crons(database):
    "Run the scheduled actions due each minute, as trytond-cron does."
    from trytond.cron import run_cron
    while True:
        time.sleep(60 - dt.datetime.now().second)
        try:
            run_cron(database)
        except Exception:
            logging.getLogger('serve').exception(
                "scheduled actions failed; next minute tries again")


CARDDAV_USER, CARDDAV_PASSWORD = 'agenzia', 'Agenzia2026'


def start_carddav(port):
    "Start Radicale on loopback; targets read its password from the config."
    from trytond.modules.client_card import sync_radicale
    os.environ.setdefault('TRYTOND_CLIENT_CARD__DEMO_CARDDAV', CARDDAV_PASSWORD)
    folder = os.path.join(os.environ['TRYTOND_DATABASE__PATH'], 'carddav')
    return sync_radicale.start(folder, port, CARDDAV_USER, CARDDAV_PASSWORD)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database', default='demo')
    parser.add_argument('--config', default=str(environment.CONFIG))
    parser.add_argument('--listen', default='127.0.0.1:8000')
    parser.add_argument('--mail', help="start the mail catcher on this folder")
    parser.add_argument('--mail-port', type=int, default=8025)
    parser.add_argument('--cron', action='store_true',
        help="run the scheduled actions every minute")
    parser.add_argument('--carddav', type=int, metavar='PORT',
        help="serve a CardDAV address book (Radicale) on this port")
    options = parser.parse_args()
    environment.setup(options.config, options.listen, options.mail_port)
    os.environ['TRYTOND_DATABASE_NAMES'] = options.database

    from werkzeug.serving import run_simple

    from trytond.modules.portal.web.wsgi import app

    catcher = None
    if options.mail:
        from trytond.modules.portal.tests.mailcatcher import start
        catcher = start(options.mail, options.mail_port)
    carddav = None
    if options.carddav:
        carddav = start_carddav(options.carddav)
    if options.cron:
        threading.Thread(
            target=run_crons, args=(options.database,), daemon=True).start()
    host, port = options.listen.rsplit(':', 1)
    print(BANNER.format(
            listen=options.listen, database=options.database,
            mail=options.mail or '-', mail_port=options.mail_port,
            cron='every minute' if options.cron else 'off',
            carddav=(f'{carddav.url} ({CARDDAV_USER} / {CARDDAV_PASSWORD}, '
                "the target's secret in configuration: demo_carddav)"
                if carddav else 'off')),
        flush=True)
    try:
        run_simple(host, int(port), app, threaded=True)
    finally:
        if catcher:
            catcher.stop()
        if carddav:
            carddav.stop()


if __name__ == '__main__':
    main()
