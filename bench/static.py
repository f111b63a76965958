"""The generated estate rendered to files and served statically: govwatch against plain Scrapy.

A real site is served by a web server from files, not rendered per request by Python: the
generated estate's own server (bench/estate.py) takes CPU from the crawl on a 2-core machine and
answers more slowly than nginx would. Here every URL of a generated estate is written to a folder
once (the same bytes `bench.render.respond` answers), and served by nginx where it is installed
(its configuration in a temporary folder, loopback only, access log off, stopped at the end
whatever happens), else by the fastest server at hand, a threaded keep-alive Python server; the
output names which one.

Two measurements:

- **one site**: the 10k site crawled by plain Scrapy (bench/plain.py) and by `govwatch scan` with
  every check, one after the other against the same server: wall time, pages per second, CPU
  seconds per 1,000 pages of each crawl process and of the whole tree, and the ratio;
- **an estate**: 20 sites (one big, many small: pages shared by 1/k), each on a loopback address of
  its own (127.0.0.11, .12 … so each is its own host to Scrapy's per-host limit), scanned by
  `govwatch scan` at 1 and at 2 crawl processes (`crawl.processes`, where the config knows it).

Each crawl runs `--rounds` times (3), in turns with the one it is compared with, and its fastest
round counts: a virtual machine's speed drifts from minute to minute.

`python -m bench.static [--pages 10000] [--sites 20 --estate-pages 10000] [--server nginx|python] [--rounds 3]`
runs both; `make bench` runs them among the rest.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Callable, Iterator

import psutil

from core.config import CrawlConfig

from .estate import ROOT
from .layout import Layout
from .fullscan import CORES, OTHER_LOAD
from .measure import Measured, run
from .render import ASSETS, NOT_FOUND, respond

TIMEOUT = 3600
STARTUP_SECONDS = 15  # a server that does not accept connections by then failed to start
FIRST_ESTATE_HOST = 11  # 127.0.0.11, .12 …: one loopback address per site of the estate
NOT_FOUND_FILE = "__404.html"  # the estate's 404 page, served with status 404 for every missing path
ROUNDS = 3  # runs of each crawl, in turns: the fastest is the crawler's, the rest the machine's


# -- rendering ----------------------------------------------------------------------------------------

def site_paths(layout: Layout) -> Iterator[str]:
    """Every path of the estate that answers 200: pages, template assets, images, attachments."""
    yield "/index.html"
    yield from ASSETS
    yield "/wzdt/index.html"
    for channel in layout.channels:
        yield f"/{channel}/index.html"
    for column in layout.columns:
        for page in range(column.list_pages):
            yield column.list_url(page)
        for index in range(column.articles):
            article = layout.article(column, index)
            yield article.url
            yield from filter(None, (article.image, article.attachment))


def render_site(layout: Layout, root: Path, mark: str = "") -> int:
    """Write the estate under `root` as files (directories 755, files 644: nginx's workers read them
    as another user); returns the number of files. A `mark` ends every page as an HTML comment, so
    that sites of one estate never serve the same bytes (same-sized columns would)."""
    count = 0
    for path in site_paths(layout):
        status, content_type, body = respond(layout, path)
        assert status == 200, path
        if mark and content_type.startswith("text/html"):
            body += f"<!-- {mark} -->\n".encode()
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        count += 1
    (root / NOT_FOUND_FILE).write_bytes(NOT_FOUND)
    root.chmod(0o755)
    for directory in root.rglob("*"):
        if directory.is_dir():
            directory.chmod(0o755)
    return count


# -- serving ------------------------------------------------------------------------------------------

@dataclass
class Served:
    """Sites being served: their homepage URLs, the server's name, and its CPU seconds so far."""

    server: str
    urls: list[str]
    cpu_seconds: Callable[[], float]


def free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def nginx_version() -> str | None:
    if not shutil.which("nginx"):
        return None
    out = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr
    match = re.search(r"nginx/([\d.]+)", out)
    return match[1] if match else "?"


@contextmanager
def serve(sites: list[tuple[str, Path]], server: str | None = None) -> Iterator[Served]:
    """Serve each (loopback host, folder) on a port of its own: nginx where installed (or asked
    for), else the threaded Python server."""
    if server == "nginx" or (server is None and nginx_version()):
        with _nginx(sites) as served:
            yield served
    else:
        with _python_server(sites) as served:
            yield served


def _die_with_parent() -> None:
    """In the server child: SIGTERM when the bench process dies, however it dies (Linux)."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass


def _nginx_config(work: Path, sites: list[tuple[str, int, Path]]) -> str:
    types = "\n".join(f"        {kind} {ext};" for ext, kind in {
        "html": "text/html", "css": "text/css", "js": "application/javascript", "jpg": "image/jpeg",
        "png": "image/png", "gif": "image/gif", "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}.items())
    servers = "\n".join(f"""    server {{
        listen {host}:{port};
        root {folder};
        index index.html;
        error_page 404 /{NOT_FOUND_FILE};
        location = /{NOT_FOUND_FILE} {{ internal; }}
    }}""" for host, port, folder in sites)
    user = "user root;\n" if os.geteuid() == 0 else ""  # the rendered files live in a private temp folder
    return f"""# Written by `python -m bench.static`; removed with its folder.
{user}worker_processes 1;
daemon off;
master_process on;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    types {{
{types}
    }}
    default_type application/octet-stream;
    charset utf-8;
    access_log off;
    sendfile on;
    tcp_nodelay on;
    keepalive_requests 100000;
    server_tokens off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
{servers}
}}
"""


@contextmanager
def _nginx(sites: list[tuple[str, Path]]) -> Iterator[Served]:
    with tempfile.TemporaryDirectory(prefix="govwatch-nginx-") as tmp:
        work = Path(tmp)
        bound = [(host, free_port(host), folder) for host, folder in sites]
        config = work / "nginx.conf"
        config.write_text(_nginx_config(work, bound), encoding="utf-8")
        child = subprocess.Popen(["nginx", "-p", str(work), "-e", str(work / "error.log"), "-c", str(config)],
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                 preexec_fn=_die_with_parent)
        try:
            _wait_listening(child, [(host, port) for host, port, _ in bound], work / "error.log")
            master = psutil.Process(child.pid)
            yield Served(f"nginx {nginx_version()} (1 worker process, access log off)",
                         [f"http://{host}:{port}/" for host, port, _ in bound], lambda: _tree_cpu(master))
        finally:
            _stop(child, signal.SIGQUIT)  # graceful: workers finish their connections and exit


@contextmanager
def _python_server(sites: list[tuple[str, Path]]) -> Iterator[Served]:
    command = [sys.executable, "-m", "bench.static", "--serve", *(f"{host}={folder}" for host, folder in sites)]
    child = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                             preexec_fn=_die_with_parent)
    try:
        assert child.stdout is not None
        urls = [child.stdout.readline().strip() for _ in sites]
        if not all(url.startswith("http://") for url in urls):
            raise RuntimeError("the static Python server did not start")
        process = psutil.Process(child.pid)
        why = "" if nginx_version() else "; nginx is not installed"
        yield Served(f"Python http.server (threaded, keep-alive{why})", urls,
                     lambda: _tree_cpu(process))
    finally:
        _stop(child, signal.SIGTERM)


def _wait_listening(child: subprocess.Popen[bytes], addresses: list[tuple[str, int]], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    waiting = list(addresses)
    while waiting:
        if child.poll() is not None or time.monotonic() > deadline:
            errors = log.read_text(errors="replace") if log.exists() else ""
            stderr = child.stderr.read().decode(errors="replace") if child.stderr and child.poll() is not None else ""
            raise RuntimeError(f"nginx did not start: {(stderr + errors).strip()[-500:]}")
        try:
            socket.create_connection(waiting[0], timeout=1).close()
            waiting.pop(0)
        except OSError:
            time.sleep(0.05)


def _stop(child: subprocess.Popen, sig: int) -> None:
    if child.poll() is None:
        child.send_signal(sig)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            for proc in psutil.Process(child.pid).children(recursive=True):
                proc.kill()
            child.kill()
            child.wait()
    for stream in (child.stdin, child.stdout, child.stderr):
        if stream:
            stream.close()


def _tree_cpu(root: psutil.Process) -> float:
    total = 0.0
    for proc in (root, *root.children(recursive=True)):
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            continue
    return total


def serve_python(sites: list[tuple[str, Path]]) -> None:
    """The fallback server (child process): one threaded keep-alive server per site; prints each
    homepage URL, serves until stdin closes."""
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Handler(SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "static"
        sys_version = ""
        disable_nagle_algorithm = True
        extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".html": "text/html; charset=utf-8"}

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
            """Silent: a crawl makes tens of thousands of requests."""

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            if code != 404:
                super().send_error(code, message, explain)
                return
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(NOT_FOUND)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(NOT_FOUND)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128

    servers = []
    for host, folder in sites:
        server = Server((host, 0), partial(Handler, directory=str(folder)))
        threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True).start()
        servers.append(server)
        print(f"http://{host}:{server.server_address[1]}/", flush=True)
    sys.stdin.read()
    for server in servers:
        server.shutdown()


# -- measuring ----------------------------------------------------------------------------------------

@dataclass
class Row:
    label: str
    crawler: str  # "plain Scrapy" or "govwatch scan"
    site_pages: int
    measured: Measured | None = None
    crawl_cpu: float = 0.0  # the crawl process(es): bench.plain, or govwatch's crawler.worker
    server_cpu: float = 0.0
    pages: int | None = None  # what the crawler says it crawled
    note: str = ""
    failure: str = ""

    @property
    def pages_per_second(self) -> float | None:
        return self.site_pages / self.measured.seconds if self.measured and not self.failure else None

    def per_thousand(self, seconds: float) -> float:
        return 1000 * seconds / self.site_pages


def processes_supported() -> bool:
    """Whether this checkout's `[crawl]` knows `processes` (several crawl processes per scan)."""
    return "processes" in {f.name for f in fields(CrawlConfig)}


def govwatch_config(tmp: Path, sites: list[tuple[str, str]], max_pages: int, processes: int | None = None) -> Path:
    """A config for `sites` [(name, url)]: defaults but for where to store, the page budget and
    `crawl.processes` when given."""
    lines = ["# Written by `python -m bench.static` for its statically served estate on loopback.",
             "[database]", f"url = {json.dumps('sqlite:///' + str(tmp / 'govwatch.db'))}",
             "[report]", f"dir = {json.dumps(str(tmp / 'reports'))}",
             "[crawl]", f"max_pages = {max(50_000, 2 * max_pages)}"]
    if processes is not None:
        lines.append(f"processes = {processes}")
    for name, url in sites:
        lines += ["[[sites]]", f"name = {json.dumps(name)}", f"url = {json.dumps(url)}", 'unit = "县人民政府办公室"']
    path = tmp / "govwatch.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cpu_of(measured: Measured, label: str) -> float:
    return measured.cpu_by_process.get(label, 0.0)


def plain(label: str, url: str, site_pages: int, served: Served, tmp: Path) -> Row:
    before = served.cpu_seconds()
    measured = run([sys.executable, "-m", "bench.plain", url], tmp, TIMEOUT, env={"PYTHONPATH": str(ROOT)})
    row = Row(label, "plain Scrapy", site_pages, measured, server_cpu=served.cpu_seconds() - before)
    if measured.returncode != 0:
        return _failed(row)
    row.pages = json.loads(measured.stdout.strip().splitlines()[-1])["pages"]
    row.crawl_cpu = _cpu_of(measured, "bench.plain")
    return row


def govwatch(label: str, sites: list[tuple[str, str]], layouts: list[Layout], served: Served, tmp: Path,
             processes: int | None = None) -> Row:
    site_pages = sum(layout.pages for layout in layouts)
    config, findings = govwatch_config(tmp, sites, site_pages, processes), tmp / "findings.json"
    command = [str(Path(sys.executable).parent / "govwatch"), "scan", "--config", str(config),
               "--json", str(findings)]
    before = served.cpu_seconds()
    measured = run(command, tmp, TIMEOUT)
    row = Row(label, "govwatch scan", site_pages, measured, server_cpu=served.cpu_seconds() - before)
    if measured.returncode != 0:
        return _failed(row)
    done = re.search(r"检查页面 (\d+) 个", measured.stdout)
    row.pages = int(done[1]) if done else None
    row.crawl_cpu = _cpu_of(measured, "crawler.worker")
    found = Counter(f["kind"] for f in json.loads(findings.read_text(encoding="utf-8"))["findings"])
    planted: Counter[str] = sum((layout.planted() for layout in layouts), Counter())
    row.note = "findings " + ", ".join(
        f"{kind} {count:,}" + (f" (planted {planted[kind]:,})" if kind in planted else "")
        for kind, count in sorted(found.items()))
    return row


def _failed(row: Row) -> Row:
    assert row.measured is not None
    row.failure = f"failed (exit {row.measured.returncode})"
    tail = (row.measured.stderr or row.measured.stdout).strip().splitlines()[-3:]
    row.note = " / ".join(line.strip() for line in tail)
    return row


def estate_sizes(sites: int, pages: int) -> list[int]:
    """Pages of each site of an estate of `pages`: shared by 1/k, so one big site and many small."""
    weights = [1 / k for k in range(1, sites + 1)]
    sizes = [max(20, round(pages * w / sum(weights))) for w in weights]
    sizes[0] += pages - sum(sizes)
    return sizes


def bench(pages: int, sites: int, estate_pages: int, server: str | None = None,
          rounds: int = ROUNDS) -> tuple[str, list[Row]]:
    """Both measurements; returns the server's name and the rows."""
    rows: list[Row] = []
    name = ""
    if pages:
        with ExitStack() as stack:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="govwatch-static-")))
            layout = Layout(pages)
            render_site(layout, tmp / "site")
            served = stack.enter_context(serve([("127.0.0.1", tmp / "site")], server))
            print(f"  serving {pages:,} pages with {served.server}", file=sys.stderr, flush=True)
            label = f"one site, {pages:,} pages"
            rows += _alternated(rounds, [lambda work: plain(label, served.urls[0], pages, served, work),
                                         lambda work: govwatch(label, [("某某县人民政府", served.urls[0])], [layout],
                                                               served, work)])
            name = served.server
    if sites:
        estate_name, estate_rows = _estate(sites, estate_pages, server, rounds)
        rows += estate_rows
        name = name or estate_name
    return name, rows


def _estate(sites: int, pages: int, server: str | None, rounds: int) -> tuple[str, list[Row]]:
    runs: list[Callable[[Path], Row]] = []
    failed: list[Row] = []
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="govwatch-static-estate-")))
        layouts = [Layout(size) for size in estate_sizes(sites, pages)]
        folders = []
        for k, layout in enumerate(layouts):
            render_site(layout, tmp / f"site{k + 1:02d}", mark=f"site {k + 1:02d}")
            folders.append((f"127.0.0.{FIRST_ESTATE_HOST + k}", tmp / f"site{k + 1:02d}"))
        served = stack.enter_context(serve(folders, server))
        named = [(f"某某县第{k + 1:02d}号网站", url) for k, url in enumerate(served.urls)]
        for processes in (1, 2):
            label = f"{sites} sites, {pages:,} pages, {processes} crawl process{'es' if processes > 1 else ''}"
            if processes > 1 and not processes_supported():
                failed.append(Row(label, "govwatch scan", pages, failure="not supported in this checkout"))
                continue
            runs.append(lambda work, label=label, processes=processes: govwatch(
                label, named, layouts, served, work, processes if processes_supported() else None))
        return served.server, _alternated(rounds, runs) + failed


def _alternated(rounds: int, runs: list[Callable[[Path], Row]]) -> list[Row]:
    """Each run `rounds` times, in turns (a, b, a, b …) so that a slow spell of the machine slows
    both alike; each run's fastest round is its row, the others' walls named in its note. A virtual
    machine's speed drifts by a fifth or more from one minute to the next: one round of each compares
    the machine's moods as much as the crawlers."""
    tried: list[list[Row]] = [[] for _ in runs]
    for _ in range(max(rounds, 1)):
        for tries, run in zip(tried, runs):
            tries.append(_in_temp(run))
    rows = []
    for tries in tried:
        done = [r for r in tries if r.measured is not None and not r.failure]
        best = min(done, key=lambda r: r.measured.seconds) if done else tries[0]  # type: ignore[union-attr]
        if len(done) > 1:
            walls = ", ".join(f"{r.measured.seconds:.1f}" for r in done)  # type: ignore[union-attr]
            best.note = f"{best.note}; walls of {len(done)} rounds: {walls} s".lstrip("; ")
        rows.append(best)
    return rows


def _in_temp(measure: Callable[[Path], Row]) -> Row:
    with tempfile.TemporaryDirectory(prefix="govwatch-bench-") as work:
        row = measure(Path(work))
    print(f"  {row.label}, {row.crawler}: {row.failure or f'{row.measured.seconds:.1f} s'} {row.note}",
          file=sys.stderr, flush=True)
    return row


# -- tables -------------------------------------------------------------------------------------------

def table(rows: list[Row]) -> str:
    lines = ["| run | crawler | pages crawled | wall (s) | site pages/s | crawl process CPU (s) "
             "| crawl CPU s / 1,000 pages | all CPU (s) | all CPU s / 1,000 pages | server CPU (s) |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        m = r.measured
        if m is None or r.failure:
            lines.append(f"| {r.label} | {r.crawler} | {r.failure} | | | | | | | |")
            continue
        lines.append(f"| {r.label} | {r.crawler} | {r.pages or 0:,} | {m.seconds:.1f} | {r.pages_per_second:,.0f} "
                     f"| {r.crawl_cpu:.1f} | {r.per_thousand(r.crawl_cpu):.2f} | {m.cpu_seconds:.1f} "
                     f"| {r.per_thousand(m.cpu_seconds):.2f} | {r.server_cpu:.1f} |")
    return "\n".join(lines)


def verdict(rows: list[Row]) -> str:
    """The ratios the issue asks for, and whether its targets are met."""
    lines = []
    by = {(r.label, r.crawler): r for r in rows}
    singles = [r for r in rows if r.label.startswith("one site") and r.crawler == "plain Scrapy"]
    for p in singles:
        g = by.get((p.label, "govwatch scan"))
        if g and g.pages_per_second and p.pages_per_second:
            ratio = g.pages_per_second / p.pages_per_second
            lines.append(f"- {p.label}: govwatch at **{ratio:.2f}×** plain Scrapy's speed (target ≥ 0.9×: "
                         f"{'met' if ratio >= 0.9 else 'not met'}); crawl process CPU per 1,000 pages "
                         f"{g.per_thousand(g.crawl_cpu):.2f} s against {p.per_thousand(p.crawl_cpu):.2f} s "
                         f"({g.crawl_cpu / p.crawl_cpu:.2f}×)")
    estate = [r for r in rows if not r.label.startswith("one site")]
    if len(estate) == 2 and all(r.pages_per_second for r in estate):
        speedup = estate[1].pages_per_second / estate[0].pages_per_second
        lines.append(f"- estate: 2 crawl processes at **{speedup:.2f}×** the pages/s of 1 "
                     f"(target ≥ 1.5×: {'met' if speedup >= 1.5 else 'not met'})")
    elif len(estate) == 2 and estate[1].failure:
        lines.append(f"- estate at 2 crawl processes: {estate[1].failure}")
    notes = [f"- {r.label}, {r.crawler}: {r.note}" for r in rows if r.note]
    notes += [f"- {r.label}, {r.crawler}: **other work on the machine took {r.measured.other_cpu_seconds:.0f} s "
              "CPU meanwhile: wall times skewed**" for r in rows
              if r.measured and r.measured.other_cpu_seconds > OTHER_LOAD * r.measured.seconds * CORES]
    return "\n".join(lines + notes)


def report(pages: int, sites: int, estate_pages: int, server: str | None = None, rounds: int = ROUNDS) -> None:
    name, rows = bench(pages, sites, estate_pages, server, rounds)
    print(f"Server: {name}, on loopback; site pages/s counts the site's HTML pages over the wall time.\n")
    print(table(rows), "", verdict(rows), sep="\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.static", description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=10_000, help="pages of the one site (default 10000; 0: skip it)")
    parser.add_argument("--sites", type=int, default=20, help="sites of the estate (default 20; 0: skip it)")
    parser.add_argument("--estate-pages", type=int, default=10_000, help="pages over all its sites (default 10000)")
    parser.add_argument("--server", choices=("nginx", "python"), help="default: nginx where installed")
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help=f"runs of each crawl, in turns; the fastest counts (default {ROUNDS})")
    parser.add_argument("--serve", nargs="+", metavar="HOST=FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve_python([(host, Path(folder)) for host, folder in (item.split("=", 1) for item in args.serve)])
        return
    report(args.pages, args.sites, args.estate_pages, args.server, args.rounds)


if __name__ == "__main__":
    main()
