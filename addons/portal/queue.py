# This file is part of the insurance intermediary platform.
"""Queue tasks run by the cron where no worker runs them.

Without ``[queue] worker``, Tryton runs every task right after the request
that pushed it, even one scheduled for later (a retry would run at once),
and never again: a task whose transaction failed (an email that could not
reach the SMTP server) would wait for ever. Here a scheduled task is left to
the cron, which runs the due tasks that nothing ran."""
import datetime as dt
import logging

from trytond import config
from trytond.pool import PoolMeta
from trytond.transaction import Transaction, TransactionError

logger = logging.getLogger(__name__)


# a failed task is tried again after attempts times the configured seconds,
# at most an hour later, and given up after ATTEMPTS tries
RETRY_SECONDS = 30
MAX_DELAY = dt.timedelta(hours=1)
ATTEMPTS = 48


def retry_delay(attempts, section, option):
    """Return how long to wait after the number of failed attempts, the
    seconds of each step read from the configuration's section and option."""
    seconds = config.getint(section, option, default=RETRY_SECONDS)
    return min(dt.timedelta(seconds=seconds * attempts), MAX_DELAY)


def has_worker():
    return config.getboolean('queue', 'worker', default=False)


class Queue(metaclass=PoolMeta):
    __name__ = 'ir.queue'

    @classmethod
    def push(cls, name, data, scheduled_at=None, expected_at=None):
        task_id = super().push(
            name, data, scheduled_at=scheduled_at, expected_at=expected_at)
        tasks = Transaction().tasks
        if scheduled_at is not None and not has_worker() \
                and task_id in tasks:
            tasks.remove(task_id)
        return task_id

    @classmethod
    def run_due(cls):
        "Run each due task in its own transaction; a failed one waits again."
        if has_worker():
            return
        now = dt.datetime.now()
        # the request that pushed a task runs it first: left to it a while
        grace = dt.timedelta(
            seconds=config.getint('queue', 'cron_grace', default=60))
        tasks = cls.search([
                ('finished_at', '=', None),
                ['OR', [
                        ('scheduled_at', '=', None),
                        ('create_date', '<', now - grace),
                        ],
                    ('scheduled_at', '<=', now),
                    ],
                ], order=[('id', 'ASC')])
        for task_id in map(int, tasks):
            cls._run_alone(task_id)

    @classmethod
    def _run_alone(cls, task_id):
        """Run the task in its own transaction: it commits or fails alone,
        and a failed one waits for the next run."""
        extras = {}
        while True:
            with Transaction().new_transaction(**extras) as transaction:
                try:
                    cls(task_id).run()
                    transaction.commit()
                    return
                except TransactionError as error:
                    # the task locks records: start again holding the locks
                    transaction.rollback()
                    error.fix(extras)
                except Exception:
                    logger.warning(
                        "queue task %s failed, it will run again", task_id,
                        exc_info=True)
                    transaction.rollback()
                    return


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('ir.queue|run_due', "Run Due Queue Tasks"))
