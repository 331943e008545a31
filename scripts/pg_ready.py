"""Exit 0 when a PostgreSQL server answers at the URI given, else 1."""
import sys

import psycopg

try:
    psycopg.connect(sys.argv[1] + 'postgres', connect_timeout=3).close()
except psycopg.Error:
    sys.exit(1)
