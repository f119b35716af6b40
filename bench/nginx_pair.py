"""Many viewers through nginx: two instances sharing one PostgreSQL, behind the documented config.

The deployment of ``docs/deployment.md`` on one machine, loopback only:

1. a fresh PostgreSQL database is created for the run (``eutf_bench_<random>``, on the server of
   ``BENCH_PG_ADMIN_URL``, default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``) and
   filled as the single-instance bench fills its SQLite store: the shipped workbook and public
   exports seeded (the 9-row case), or the ``rows``-row version published; it is dropped at the end;
2. two ``streamlit run`` instances on free loopback ports with ``EUTF_DATABASE_URL`` pointing at
   it, each warmed by one session of its own (direct, not through nginx), then *idle*;
3. nginx in the foreground (``daemon off;``, a child of this process, ``-p``/``-c``) with a
   configuration generated from ``deploy/nginx-eutf.conf``: the same directives, the upstream
   listing the two ports, ``listen`` on a free loopback port, logs, pid and temp folders in a
   temp folder;
4. ``SESSIONS`` viewers (``bench.viewers``: Streamlit's own WebSocket protocol) open at once
   through nginx. Each instance's CPU over the burst is divided by the sessions it served (read
   from nginx's access log: ``upstream=`` of each ``/_stcore/stream`` request).

The viewers send no cookie, so each WebSocket gets a fresh random route key (``$request_id``)
and the consistent hash spreads them although they all come from 127.0.0.1; that the key, once
set as the ``eutf_route`` cookie, keeps a browser on one instance is checked too (``sticky``).

The baseline is the bare one-chart page on two instances behind the same nginx config.
Every child (the instances, nginx) is stopped at the end, also on error; the database dropped.

``python -m bench.nginx_pair`` prints the table; :func:`measure_all` returns its rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.viewers import SESSIONS, Burst, _burst, _cpu_seconds, _free_port, _memory_mb, _serve, _stop

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "deploy" / "nginx-eutf.conf"
#: The nginx binary (``BENCH_NGINX``, else ``nginx`` on the PATH or Debian's ``/usr/sbin/nginx``).
NGINX = os.environ.get("BENCH_NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
#: A role allowed to create databases; the run's database is made on the same server.
ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
#: Instances behind nginx (issue 19: two).
INSTANCES = 2


@dataclass(frozen=True)
class PairBurst:
    """What ``SESSIONS`` simultaneous viewers through nginx cost the instances behind it.

    Attributes:
        burst: the sessions' times and errors; ``cpu_per_session`` is all instances' CPU over
            the burst / all sessions; ``idle_mb``/``peak_mb`` the largest instance's.
        served: sessions each instance served (from nginx's access log), in instance order.
        cpu: each instance's CPU seconds over the burst.
        idle_mb: each instance's resident memory after its warm-up (MB).
        peak_mb: each instance's peak resident memory (VmHWM, MB).
        nginx_cpu: nginx's CPU seconds (master and workers) over the burst.
        sticky: a request carrying an ``eutf_route`` cookie reached the same instance as the
            earlier requests with that cookie (checked for a few keys).
    """

    burst: Burst
    served: tuple[int, ...]
    cpu: tuple[float, ...]
    idle_mb: tuple[float, ...]
    peak_mb: tuple[float, ...]
    nginx_cpu: float
    sticky: bool

    def per_instance(self) -> tuple[float, ...]:
        """Each instance's CPU seconds per session it served (nan when it served none)."""
        return tuple(c / s if s else float("nan") for c, s in zip(self.cpu, self.served, strict=True))

    @property
    def memory_ratio(self) -> float:
        """The largest peak/idle ratio among the instances."""
        return max(p / i for p, i in zip(self.peak_mb, self.idle_mb, strict=True))


def missing() -> str | None:
    """Why the pair cannot be measured here (None: nginx and PostgreSQL are both there)."""
    if not shutil.which(NGINX):
        return f"nginx is not installed ({NGINX} not found)"
    try:
        import psycopg

        with psycopg.connect(_libpq(ADMIN_URL), connect_timeout=3):
            pass
    except Exception as exc:  # not installed, refused, no such role: not measured
        return f"PostgreSQL is not reachable at {ADMIN_URL} ({type(exc).__name__})"
    return None


def _libpq(url: str) -> str:
    """A SQLAlchemy URL (``postgresql+psycopg://``) as psycopg's own ``postgresql://``."""
    return re.sub(r"^postgresql\+psycopg://", "postgresql://", url)


def _replace_one(pattern: str, replacement: str, text: str) -> str:
    """``re.sub`` that must match once: a changed deploy config fails here, not silently."""
    result, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    if count != 1:
        raise RuntimeError(f"deploy/nginx-eutf.conf: expected one match of {pattern!r}, found {count}")
    return result


def nginx_config(site: str, listen: int, ports: list[int], folder: Path) -> str:
    """A complete ``nginx.conf`` around the documented site ``site`` (``deploy/nginx-eutf.conf``).

    The site's directives are kept; only its upstream servers (one line per port of ``ports``,
    with the same parameters), its ``listen`` (``127.0.0.1:listen``) and its access log (in
    ``folder``) change. Around it: ``daemon off;``, pid, error log and temp paths in ``folder``.
    """
    line = r"^(\s*)server 127\.0\.0\.1:\d+( [^;\n]*)?;\n"
    first = []

    def servers(match: re.Match) -> str:  # every port on the first server line, the others dropped
        if first:
            return ""
        first.append(match)
        indent, params = match.group(1), match.group(2) or ""
        return "".join(f"{indent}server 127.0.0.1:{port}{params};\n" for port in ports)

    site = re.sub(line, servers, site, flags=re.MULTILINE)
    if not first:
        raise RuntimeError("deploy/nginx-eutf.conf: no `server 127.0.0.1:PORT ...;` line in its upstream")
    site = _replace_one(r"^(\s*)listen \d+;", rf"\g<1>listen 127.0.0.1:{listen};", site)
    site = _replace_one(r"^(\s*)access_log \S+ eutf;", rf"\g<1>access_log {folder}/access.log eutf;", site)
    temps = "\n".join(
        f"    {kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    body = "\n".join("    " + line if line else line for line in site.splitlines())
    return (
        "# generated by bench/nginx_pair.py from deploy/nginx-eutf.conf\n"
        f"daemon off;\nmaster_process on;\nworker_processes 1;\npid {folder}/nginx.pid;\n"
        f"error_log {folder}/error.log warn;\n"
        "events {\n    worker_connections 1024;\n}\n"
        f"http {{\n{temps}\n{body}\n}}\n"
    )


@contextlib.contextmanager
def _database() -> Iterator[str]:
    """A fresh database on the server of :data:`ADMIN_URL`, dropped at the end; yields its URL."""
    import psycopg

    name = f"eutf_bench_{secrets.token_hex(4)}"
    admin = _libpq(ADMIN_URL)
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _fill(url: str, rows: int) -> None:
    """The store at ``url`` as the single-instance bench has it: seeded, or one ``rows``-row version."""
    from bench.tasks import _clean
    from domain.dataset import DEFAULT_DATASET
    from seed.public import seed_if_empty, seed_public_exports
    from store.db import make_engine
    from store.versions import Store

    engine = make_engine(url)
    try:
        if rows:
            Store(engine).publish(_clean(rows), base=None, by="bench", file_name="b.xlsx", file_sha256="0" * 64)
        else:
            seed_if_empty(Store(engine, DEFAULT_DATASET))
            seed_public_exports(engine)
    finally:
        engine.dispose()


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its live children (nginx's master and workers)."""
    total = 0.0
    for p in [pid, *_children(pid)]:
        with contextlib.suppress(OSError):
            total += _cpu_seconds(p)
    return total


def _nginx_up(config: Path, folder: Path, port: int) -> subprocess.Popen:
    test = subprocess.run(  # noqa: S603 - fixed arguments
        [NGINX, "-t", "-p", str(folder), "-c", str(config)], capture_output=True, text=True, timeout=30
    )
    if test.returncode:
        raise RuntimeError(f"nginx -t refused the generated config: {test.stderr.strip()}")
    proxy = subprocess.Popen(  # noqa: S603 - fixed arguments
        [NGINX, "-p", str(folder), "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proxy
        except OSError:
            if proxy.poll() is not None:
                break
            time.sleep(0.2)
    _stop(proxy)
    raise RuntimeError("nginx did not answer within 30 s: " + (folder / "error.log").read_text()[-1000:])


def _upstreams(log: Path, since: int) -> list[str]:
    """The upstream (``host:port``) of each ``/_stcore/stream`` request logged after byte ``since``."""
    with log.open() as handle:
        handle.seek(since)
        lines = handle.read().splitlines()
    return [m.group(1) for line in lines if "/_stcore/stream" in line if (m := re.search(r"upstream=(\S+)", line))]


def _sticky(port: int, log: Path, keys: int = 4, repeats: int = 3) -> bool:
    """Whether requests that carry one ``eutf_route`` cookie all reach one instance (read back from
    the access log's ``route=`` and ``upstream=`` fields once every request completed)."""
    tag = f"bench-route-{secrets.token_hex(4)}"
    for k in range(keys):
        for _ in range(repeats):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/_stcore/health", headers={"Cookie": f"eutf_route={tag}-{k}"}
            )
            with urllib.request.urlopen(request, timeout=10) as r:  # noqa: S310 - loopback http
                r.read()
    reached: dict[str, list[str]] = {}
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # nginx writes a request's line when it completes
        reached = {}
        for route, upstream in re.findall(rf"route=({tag}-\d+) upstream=(\S+)", log.read_text()):
            reached.setdefault(route, []).append(upstream)
        if sum(map(len, reached.values())) == keys * repeats:
            break
        time.sleep(0.1)
    return len(reached) == keys and all(len(set(u)) == 1 and len(u) == repeats for u in reached.values())


def measure(page: str, *, rows: int = 0, query: str = "", sessions: int = SESSIONS) -> PairBurst:
    """Serve ``page`` (``bare``, or ``app`` on a fresh PostgreSQL database: seeded, or ``rows``
    rows published) on :data:`INSTANCES` instances behind nginx, warm each, then open
    ``sessions`` viewers at once through nginx.

    Raises:
        RuntimeError: when an instance or nginx does not start, or a warm-up session fails.
    """
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="eutf-nginx-")))
        folder.chmod(0o755)  # nginx's workers (user nobody) write its temp folders
        env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        if page == "bare":
            script = ROOT / "bench" / "bare_page.py"
        else:
            script = ROOT / "app.py"
            url = stack.enter_context(_database())
            _fill(url, rows)
            env["EUTF_DATABASE_URL"] = url
        ports = [_free_port() for _ in range(INSTANCES)]
        servers = []
        for port in ports:
            server = _serve(script, port, env)
            stack.callback(_stop, server)
            servers.append(server)
        for port in ports:
            _, warm_errors = asyncio.run(_burst(port, query, 1))
            if warm_errors:
                raise RuntimeError(f"the warm-up session of {page} on port {port} failed")
        idle = tuple(_memory_mb(s.pid, "VmRSS") for s in servers)
        listen = _free_port()
        config = folder / "nginx.conf"
        config.write_text(nginx_config(SITE.read_text(), listen, ports, folder))
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / kind).mkdir(mode=0o777)
            (folder / kind).chmod(0o777)
        proxy = _nginx_up(config, folder, listen)
        stack.callback(_stop, proxy)
        log = folder / "access.log"
        sticky = _sticky(listen, log)
        since = log.stat().st_size
        cpu_before = [_cpu_seconds(s.pid) for s in servers]
        nginx_before = _tree_cpu(proxy.pid)
        seconds, errors = asyncio.run(_burst(listen, query, sessions))
        cpu = tuple(_cpu_seconds(s.pid) - b for s, b in zip(servers, cpu_before, strict=True))
        nginx_cpu = _tree_cpu(proxy.pid) - nginx_before
        peak = tuple(_memory_mb(s.pid, "VmHWM") for s in servers)
        time.sleep(0.2)
        upstreams = _upstreams(log, since)
    served = tuple(upstreams.count(f"127.0.0.1:{port}") for port in ports)
    label = "bare one-chart page" if page == "bare" else f"Overview, {rows or 9} rows"
    label += f", {INSTANCES} instances behind nginx" + (", PostgreSQL" if page != "bare" else "")
    worst = max(range(INSTANCES), key=lambda i: peak[i] / idle[i])
    burst = Burst(label, tuple(seconds), errors, sum(cpu) / sessions, idle[worst], peak[worst])
    return PairBurst(burst, served, cpu, idle, peak, nginx_cpu, sticky)


def _per_instance(pair: PairBurst) -> str:
    return ", ".join(f"{c:.3f} ({n} sessions)" for c, n in zip(pair.per_instance(), pair.served, strict=True))


def row(pair: PairBurst, bare: PairBurst) -> str:
    """A results-table row (the columns of ``bench.viewers.row``): all instances' CPU per session
    against the bare page on the same setup (target ≤ 3×), errors (target 0), every instance's
    peak memory against its idle (target ≤ 1.3×), and how the sessions were spread."""
    burst = pair.burst
    cpu_ratio = burst.cpu_per_session / bare.burst.cpu_per_session
    spread = sum(pair.served) == SESSIONS - burst.errors and all(pair.served)
    met = cpu_ratio <= 3 and burst.errors == 0 and pair.memory_ratio <= 1.3 and spread and pair.sticky
    memory = ", ".join(f"{p:.0f} / {i:.0f} MB" for p, i in zip(pair.peak_mb, pair.idle_mb, strict=True))
    return (
        f"| {SESSIONS} viewers at once: {burst.page} | {burst.cpu_per_session:.3f} CPU-s/session "
        f"(per instance: {_per_instance(pair)}; nginx {pair.nginx_cpu / SESSIONS:.3f}), "
        f"p50 {burst.p50:.2f} s, p95 {burst.p95:.2f} s, {burst.errors} errors, "
        f"sticky cookie {'kept' if pair.sticky else '**not kept**'} "
        f"| {memory} ({pair.memory_ratio:.2f}×) "
        f"| bare page, same setup: {bare.burst.cpu_per_session:.3f} CPU-s/session "
        f"(per instance: {_per_instance(bare)}), p50 {bare.burst.p50:.2f} s "
        f"| {cpu_ratio:.2f}× | CPU ≤ 3×, 0 errors, memory ≤ 1.3× idle, both instances used "
        f"| {'met' if met else '**missed**'} |"
    )


def not_measured(reason: str) -> list[str]:
    """The rows when nginx or PostgreSQL is missing."""
    return [
        f"| {SESSIONS} viewers at once: Overview, {n}, {INSTANCES} instances behind nginx, PostgreSQL "
        f"| not measured: {reason} | | | | CPU ≤ 3×, 0 errors, memory ≤ 1.3× idle | not measured |"
        for n in ("9 rows", "100000 rows")
    ]


def measure_all() -> list[str]:
    """The bare page, then the Overview on the shipped 9 rows and on 100 000 rows, each on two
    instances behind nginx (the app's on a fresh PostgreSQL database); "not measured" rows when
    nginx or PostgreSQL is missing."""
    reason = missing()
    if reason:
        print(f"  nginx pair: not measured: {reason}", flush=True)
        return not_measured(reason)
    bare = measure("bare")
    print(f"  nginx pair bare: {bare}", flush=True)
    lines = []
    for rows in (0, 100_000):
        pair = measure("app", rows=rows)
        print(f"  nginx pair app {rows}: {pair}", flush=True)
        lines.append(row(pair, bare))
    return lines


if __name__ == "__main__":
    if not shutil.which("streamlit", path=str(Path(sys.executable).parent)):
        raise SystemExit("run from the project's virtualenv (make bench)")
    print(f"load average {os.getloadavg()}", flush=True)
    print("\n".join(measure_all()))
    print(f"load average {os.getloadavg()}", flush=True)
