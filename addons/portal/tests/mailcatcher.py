# This file is part of the insurance intermediary platform.
"""Development mail catcher: a real SMTP server on loopback that stores
every message it receives as one ``.eml`` file.

    python -m trytond.modules.portal.tests.mailcatcher var/mail [port]
"""
import os
import sys
import time
import uuid

from aiosmtpd.controller import Controller


class MaildirHandler:
    "Write each received message to its own file in a folder."

    def __init__(self, folder):
        self.folder = folder
        os.makedirs(folder, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        name = f'{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml'
        temporary = os.path.join(self.folder, f'.{name}.tmp')
        with open(temporary, 'wb') as file:
            file.write(f'X-Envelope-To: {", ".join(envelope.rcpt_tos)}\r\n'
                .encode())
            file.write(envelope.original_content or envelope.content)
        os.replace(temporary, os.path.join(self.folder, name))
        return '250 Message accepted for delivery'


def start(folder, port=8025, hostname='127.0.0.1'):
    "Start the catcher in a background thread and return its controller."
    controller = Controller(
        MaildirHandler(folder), hostname=hostname, port=port)
    controller.start()
    return controller


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else 'var/mail'
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 8025
    controller = start(folder, port)
    print(f"Mail catcher on smtp://127.0.0.1:{port}, writing to {folder}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        controller.stop()


if __name__ == '__main__':
    main()
