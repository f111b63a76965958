"""`govwatch web` behind a reverse proxy: the audit log keeps the client a trusted proxy forwards
(`web.trusted_proxies`), and the peer's own address for anyone else, whatever they send."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from storage import Store
from storage.users import UserBook
from tests.integration.test_web_browser import free_port

CLIENT = "203.0.113.7"  # what the proxy adds: the address it took the request from


@pytest.mark.parametrize("trusted, recorded", [
    ("", "127.0.0.1"),  # the default: no proxy is trusted
    ('["10.0.0.0/8"]', "127.0.0.1"),  # a proxy is trusted, but the peer is not it
    ('["10.0.0.0/8", "127.0.0.1"]', CLIENT),
])
def test_the_audit_log_records_the_forwarded_client_only_from_a_trusted_proxy(tmp_path: Path, trusted: str,
                                                                               recorded: str) -> None:
    database = f"sqlite:///{tmp_path / 'govwatch.db'}"
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[database]\nurl = "{database}"\n[web]\nsecret_key = "a-test-secret-key-0123456789"\n'
                      + (f"trusted_proxies = {trusted}\n" if trusted else ""), encoding="utf-8")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "govwatch", "web", "--config", str(config), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    try:
        deadline = time.monotonic() + 60
        while True:
            # A sign-in without its CSRF token: refused (400) and audited, as every POST is. The client
            # names itself first; the proxy appends the address it saw.
            request = urllib.request.Request(f"http://127.0.0.1:{port}/login", data=b"username=someone&password=x",
                                             headers={"X-Forwarded-For": f"198.51.100.9, {CLIENT}"})
            try:
                urllib.request.urlopen(request, timeout=5)
            except urllib.error.HTTPError as refused:
                assert refused.code == 400
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, process.communicate()
                time.sleep(0.2)
    finally:
        process.terminate()
        process.communicate(timeout=30)
    store = Store(database)
    try:
        entries, _ = UserBook(store).audit_log()
    finally:
        store.close()
    assert [entry.address for entry in entries] == [recorded]
