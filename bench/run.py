"""Load benchmarks of the platform (not a test).

    python bench/run.py [--clients 20000] [--tickets 100000] [--postgresql]

Builds a benchmark database (demo data plus a dataset of the chosen scale),
serves it with gunicorn (2 workers, the production shape) and drives each
route with wrk from a second process. Every row is compared with two floor
routes measured in the same run: F0, a portal route that opens no
transaction, and F1, one that opens a read-only transaction and runs one
indexed count. The cost ratio is the floor's requests/s divided by the
route's: 3.0 means the route costs three times the floor. Each route has
a target, the most it may cost in F1s; the last column says whether the
run met it. A route may have a target against another row too: the new
ticket against the upload floor, the same 5 MB posted to a route of the
bench's server only (bench/wsgi.py) that streams it to disk and hashes it;
those ratios follow the table.

On PostgreSQL, bench/plans.py then prints the tables the dashboard and the
ticket page read by a sequential scan (none is expected). The consent
registry's benchmarks (bench/consent.py) follow on the same
database, its registry grown to ``--records`` records (0 skips them).
"""
import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'scripts'))
sys.path.insert(0, str(ROOT / 'bench'))
import environment  # noqa: E402
import routes  # noqa: E402
from routes import ROUTES  # noqa: E402

VAR = ROOT / 'var' / 'bench'


def build(options):
    "Build the benchmark database anew, with the dataset of the scale."
    env = dict(os.environ)
    subprocess.run([sys.executable, str(ROOT / 'scripts/build_demo.py'),
            '--database', options.database, '--rebuild'],
        check=True, env=env, cwd=ROOT)
    subprocess.run([sys.executable, str(ROOT / 'bench/dataset.py'),
            '--database', options.database,
            '--clients', str(options.clients),
            '--tickets', str(options.tickets)],
        check=True, env=env, cwd=ROOT)
    subprocess.run([sys.executable, str(ROOT / 'bench/market.py'),
            '--database', options.database,
            '--agents', str(options.agents),
            '--requests', str(options.requests)],
        check=True, env=env, cwd=ROOT)


def work_folder(options):
    """Return the run's own folder (its fixture, request bodies and server
    log), so that runs on other databases do not share them."""
    folder = VAR / options.database
    folder.mkdir(parents=True, exist_ok=True)
    fixture = folder / 'fixture.json'
    if (not options.reuse or not fixture.exists()) and (
            VAR / 'fixture.json').exists():
        shutil.copy(VAR / 'fixture.json', fixture)
    return folder


def serve(options, folder):
    "Serve the platform with the bench's upload floor (bench/wsgi.py)."
    env = dict(os.environ, TRYTOND_DATABASE_NAMES=options.database)
    log_path = folder / 'server.log'
    log = log_path.open('w')
    process = subprocess.Popen([
            os.path.join(os.path.dirname(sys.executable), 'gunicorn'),
            '--workers', str(options.workers),
            '--bind', f'127.0.0.1:{options.port}',
            '--log-level', 'warning', '--pythonpath', str(ROOT / 'bench'),
            'wsgi:app'],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(
                f'http://127.0.0.1:{options.port}/portal/health', timeout=2)
            return process
        except OSError:
            if process.poll() is not None:
                sys.exit(log_path.read_text())
            time.sleep(0.5)
    process.terminate()
    sys.exit("The server did not start")


def measure(route, options, base):
    "Drive one route with wrk and return its summary."
    request = route.prepare(base)
    env = dict(os.environ)
    for key in ('method', 'body_file', 'content_type', 'cookie', 'paths'):
        value = request.get(key)
        if value:
            env[f'BENCH_{key.upper()}'] = value
    result = subprocess.run([
            'wrk', '-t', '1', '-c', str(options.connections),
            '-d', f'{options.seconds}s', '--latency',
            '-s', str(ROOT / 'bench/report.lua'), base + request['path']],
        check=True, env=env, capture_output=True, text=True)
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    summary['rps'] = summary['requests'] / summary['seconds']
    return summary


def table(rows):
    "Return the table of the measured routes, each against its target."
    f0, f1 = rows[0][1]['rps'], rows[1][1]['rps']
    header = (f"{'route':<34} {'requests':>9} {'median ms':>10} "
        f"{'p95 ms':>8} {'p99 ms':>8} {'req/s':>8} {'x F0':>6} {'x F1':>6} "
        f"{'errors':>6} {'target':>8}")
    lines = [header, '-' * len(header)]
    for route, s in rows:
        cost = f1 / s['rps']
        verdict = ''
        if route.target:
            verdict = f"{'<=' if cost <= route.target else 'OVER'} " \
                f"{route.target:g}"
        if s['errors'] + s['non_2xx']:
            # a route that fails answers fast: its ratio proves nothing
            verdict = 'FAILED'
        lines.append(
            f"{route.name:<34} {s['requests']:>9} {s['p50']:>10.2f} "
            f"{s['p95']:>8.2f} {s['p99']:>8.2f} {s['rps']:>8.0f} "
            f"{f0 / s['rps']:>6.2f} {cost:>6.2f} "
            f"{s['errors'] + s['non_2xx']:>6} {verdict:>8}")
    return '\n'.join(lines + relative_lines(rows))


def relative_lines(rows):
    "Return the ratios of the routes measured against another row."
    measured = {route.name: s for route, s in rows}
    lines = []
    for route, s in rows:
        other = measured.get(route.relative)
        if other is None:
            continue
        cost = other['rps'] / s['rps']
        verdict = f"{'<=' if cost <= route.relative_target else 'OVER'} " \
            f"{route.relative_target:g}"
        if s['non_2xx'] + other['non_2xx']:
            # refused requests answer fast: the ratio proves nothing
            verdict = 'FAILED'
        # requests past wrk's timeout still complete and count in req/s
        late = s['errors'] + other['errors']
        lines.append(f"{route.name} / {route.relative}: {cost:.2f} x "
            f"({s['rps']:.2f} / {other['rps']:.2f} req/s), target {verdict}"
            + (f" ({late} timeouts or socket errors)" if late else ''))
    return [''] + lines if lines else []


def selected(options):
    """Return the routes to run: the floors, those --only names and the rows
    they are compared with."""
    chosen = [route for route in ROUTES if route.floor or not options.only
        or options.only in route.name]
    compared = {route.relative for route in chosen}
    return [route for route in ROUTES
        if route in chosen or route.name in compared]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database', default='bench')
    parser.add_argument('--clients', type=int, default=20000,
        help="client accounts added to the demo data")
    parser.add_argument('--tickets', type=int, default=100000,
        help="tickets added, spread over those clients")
    parser.add_argument('--agents', type=int, default=10000,
        help="marketplace agents of the dataset")
    parser.add_argument('--requests', type=int, default=100000,
        help="marketplace requests of the dataset")
    parser.add_argument('--postgresql', action='store_true',
        help="use PostgreSQL at postgresql://root@127.0.0.1:5432/")
    parser.add_argument('--seconds', type=int, default=10)
    parser.add_argument('--connections', type=int, default=16)
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--port', type=int, default=8090,
        help="where the benchmark server listens (127.0.0.1)")
    parser.add_argument('--reuse', action='store_true',
        help="keep the benchmark database built by a previous run")
    parser.add_argument('--only', help="substring of the routes to run")
    parser.add_argument('--records', type=int, default=1000000,
        help="consent records for the registry's benchmarks (0: none)")
    parser.add_argument('--cards', type=int, default=100000,
        help="client cards for the exports' benchmarks (0: none)")
    options = parser.parse_args()
    if not shutil.which('wrk'):
        sys.exit("wrk is missing: apt-get install wrk")
    if options.postgresql:
        os.environ['TRYTOND_DATABASE__URI'] = (
            'postgresql://root@127.0.0.1:5432/')
    environment.setup()
    VAR.mkdir(parents=True, exist_ok=True)
    if not options.reuse:
        build(options)
    routes.FOLDER = folder = work_folder(options)
    process = serve(options, folder)
    base = f'http://127.0.0.1:{options.port}'
    try:
        rows = []
        for route in selected(options):
            rows.append((route, measure(route, options, base)))
    finally:
        process.terminate()
        process.wait()
    backend = 'PostgreSQL' if options.postgresql else 'SQLite'
    print(f"\n{backend}, {options.clients} clients, {options.tickets} "
        f"tickets, {options.workers} workers, "
        f"{options.connections} connections, {options.seconds} s per route\n")
    print(table(rows))
    if options.postgresql:
        subprocess.run([sys.executable, str(ROOT / 'bench/plans.py'),
                '--database', options.database], check=True, cwd=ROOT)
    if options.records:
        subprocess.run([sys.executable, str(ROOT / 'bench/consent.py'),
                '--database', options.database,
                '--records', str(options.records)]
            + (['--postgresql'] if options.postgresql else []),
            check=True, cwd=ROOT)
    if options.cards:
        subprocess.run([sys.executable, str(ROOT / 'bench/card_exports.py'),
                '--database', options.database,
                '--cards', str(options.cards)]
            + (['--postgresql'] if options.postgresql else []),
            check=True, cwd=ROOT)


if __name__ == '__main__':
    main()
