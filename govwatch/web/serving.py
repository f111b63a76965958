"""`govwatch web`: the console served by waitress (a production WSGI server, not Werkzeug's), stopped
cleanly by Ctrl+C or SIGTERM (systemd)."""

from __future__ import annotations

import signal
import threading
from typing import Callable

from flask import Flask
from waitress import create_server
from waitress.server import BaseWSGIServer, MultiSocketServer

from core.config import Config
from storage import Store

from . import create_app
from .secret import SecretError

THREADS = 8  # a re-check holds a thread for a few seconds while it reads the page again


class WebError(RuntimeError):
    """The console cannot start; the message is Chinese."""


def serve_console(config: Config, store: Store, host: str, port: int, ready: Callable[[str], None]) -> None:
    """Serve until Ctrl+C or SIGTERM. `ready` gets the address once it listens (port 0: a free one)."""
    try:
        app = create_app(config, store)
    except SecretError as exc:
        raise WebError(str(exc)) from None
    try:
        server = _server(app, host, port)
    except OSError as exc:
        raise WebError(f"无法在 {host}:{port} 上监听：{exc.strerror or exc}") from None

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # waitress's loop closes the server on it

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        ready(f"http://{_shown(host)}:{server.effective_port}/")
        server.run()
    finally:
        signal.signal(signal.SIGTERM, previous)


def _server(app: Flask, host: str, port: int) -> MultiSocketServer | BaseWSGIServer:
    """Waitress leaves the forwarding headers to the app (`web.trusted_proxies`, govwatch.web.proxies),
    which drops them unless a trusted proxy sent them: its own clearing would drop them always."""
    return create_server(app, host=host, port=port, threads=THREADS, ident="govwatch",
                         clear_untrusted_proxy_headers=False)


def _shown(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def console_in_background(config: Config, store: Store, host: str, port: int) -> tuple[str, Callable[[], None]]:
    """The console served from a thread (for `govwatch demo --keep-serving`): its address and how to stop it.
    A port in use gives way to a free one."""
    try:
        app = create_app(config, store)
    except SecretError as exc:
        raise WebError(str(exc)) from None
    try:
        server = _server(app, host, port)
    except OSError:
        server = _server(app, host, 0)
    threading.Thread(target=server.run, name="govwatch-console", daemon=True).start()
    return f"http://{_shown(host)}:{server.effective_port}/", server.close
