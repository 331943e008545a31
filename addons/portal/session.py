# This file is part of the insurance intermediary platform.
"""Portal sessions found in one statement: every logged-in page asks."""
import datetime as dt

from sql.conditionals import Coalesce

from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class Session(metaclass=PoolMeta):
    __name__ = 'web.user.session'

    @classmethod
    def get_user(cls, session):
        "Return the web user of the session key, or None when it expired."
        WebUser = Pool().get('web.user')
        table = cls.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        cursor.execute(*table.select(table.id, table.user,
                Coalesce(table.write_date, table.create_date),
                where=table.key == session, limit=1))
        row = cursor.fetchone()
        if not row:
            return None
        session_id, user_id, last = row
        if isinstance(last, str):
            last = dt.datetime.fromisoformat(last)
        if abs(dt.datetime.now() - last) <= cls.timeout():
            return WebUser(user_id)
        if not transaction.readonly:
            cls.delete([cls(session_id)])
        return None
