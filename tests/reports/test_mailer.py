"""Mailing the digest to a real SMTP server (aiosmtpd) on 127.0.0.1: plain, STARTTLS and SSL, with login."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from core.config import Config, SmtpConfig, loads
from reports.mailer import MailError, Retry, build_message, deliver, send_digest, write_digest_files
from test_digest import hostile_digest, sample_digest

PASSWORD = "Dz-8a!rQ7-very-secret"
PASSWORD_ENV = "GOVWATCH_TEST_SMTP_PASSWORD"
SENDER = "读网值班 <duty@example.gov.cn>"
QUICK = Retry(attempts=3, backoff=0.05)


@dataclass
class Mailbox:
    """What the server received, and the logins it saw."""

    envelopes: list[Any] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 OK"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=data == LoginPassword(b"duty", PASSWORD.encode()), handled=False)

    def messages(self) -> list[EmailMessage]:
        return [BytesParser(policy=policy.default).parsebytes(e.original_content) for e in self.envelopes]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for 127.0.0.1: the client trusts it through `smtp.cafile`."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("cert")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def server_context(cert: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*cert)
    return context


@pytest.fixture
def serve() -> Iterator[Callable[..., tuple[Mailbox, int]]]:
    """Starts an SMTP server on 127.0.0.1 with the given aiosmtpd options; stopped after the test."""
    controllers: list[Controller] = []

    def start(**options: Any) -> tuple[Mailbox, int]:
        box, port = Mailbox(), free_port()
        if options.pop("login", False):
            options["authenticator"] = box.authenticate
        controller = Controller(box, hostname="127.0.0.1", port=port, **options)
        controller.start()
        controllers.append(controller)
        return box, port

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)


def smtp_config(port: int, security: str, *, login: bool = True, cafile: Path | None = None) -> SmtpConfig:
    return SmtpConfig(host="127.0.0.1", port=port, security=security, username="duty" if login else "",
                      password_env=PASSWORD_ENV, sender=SENDER, timeout=5, cafile=str(cafile or ""))


def config_for(port: int, out: Path, security: str = "none") -> Config:
    return loads(f"""
[[sites]]
name = "某某区人民政府"
url = "http://www.example.gov.cn/"
unit = "区政府办公室"
[[sites]]
name = "某某区教育局"
url = "http://jyj.example.gov.cn/"
unit = "区教育局"
parent = "某某区人民政府"
[smtp]
host = "127.0.0.1"
port = {port}
security = "{security}"
username = "duty"
password_env = "{PASSWORD_ENV}"
sender = "{SENDER}"
timeout = 5
[digest]
recipients = ["office@example.gov.cn", "leader@example.gov.cn"]
dir = "{out}"
[digest.unit_recipients]
"区教育局" = ["jyj@example.gov.cn"]
"区政府办公室" = ["bgs@example.gov.cn"]
""")


def parts(message: EmailMessage) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


def test_message_is_multipart_alternative_text_first() -> None:
    message = build_message(sample_digest(), SENDER, ["office@example.gov.cn", "leader@example.gov.cn"])
    raw = message.as_bytes()
    assert raw.isascii(), "headers encoded (RFC 2047), bodies base64: safe for any server"
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parsed.iter_parts())
    assert parsed["Subject"] == "【读网值班日报】2026-11-23 某某区人民政府网站：新发现 6 条，逾期 1 条"
    assert parsed["From"].addresses[0].display_name == "读网值班"
    assert parsed["To"] == "office@example.gov.cn, leader@example.gov.cn"
    assert parsed["Date"].datetime.utcoffset() == dt.timedelta(hours=8)
    assert parsed["Message-ID"].endswith("@example.gov.cn>")


def test_plain_server_with_login_gets_the_duty_mail_and_one_per_unit(
        serve: Callable[..., tuple[Mailbox, int]], tmp_path: Path) -> None:
    box, port = serve(login=True, auth_require_tls=False)
    html_path, txt_path = deliver(hostile_digest(), config_for(port, tmp_path), retry=QUICK)
    assert box.logins == [("duty", PASSWORD)] * 3
    assert [sorted(e.rcpt_tos) for e in box.envelopes] == [
        ["leader@example.gov.cn", "office@example.gov.cn"], ["jyj@example.gov.cn"], ["bgs@example.gov.cn"]]
    assert all(e.mail_from == "duty@example.gov.cn" for e in box.envelopes)
    duty, education, office = box.messages()
    assert duty["Subject"] == hostile_digest().subject
    assert education["Subject"].startswith("【读网值班日报】2026-11-23 某某区人民政府网站（区教育局）：新发现 4 条")
    education_text = parts(education)["text/plain"]
    assert "我区召开秋季校园安全工作会议" in education_text and "临时救助名单" not in education_text
    assert "临时救助名单" not in parts(office)["text/plain"] and "P020260115_nianbao" in parts(office)["text/plain"]
    html = parts(duty)["text/html"]
    assert "<script" not in html and "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html
    assert "<script>window.pwned=1</script>" in parts(duty)["text/plain"]
    assert html_path.read_text(encoding="utf-8") == html
    assert txt_path.read_text(encoding="utf-8") == parts(duty)["text/plain"]


def test_a_unit_without_problems_today_gets_no_mail(serve: Callable[..., tuple[Mailbox, int]]) -> None:
    box, port = serve()
    sent = send_digest(sample_digest(), smtp_config(port, "none", login=False), ["office@example.gov.cn"],
                       {"区教育局": ["jyj@example.gov.cn"], "区财政局": ["czj@example.gov.cn"]}, retry=QUICK)
    assert sent == 2 and [e.rcpt_tos for e in box.envelopes] == [["office@example.gov.cn"], ["jyj@example.gov.cn"]]


def test_starttls_logs_in_only_over_tls(serve: Callable[..., tuple[Mailbox, int]], cert: tuple[Path, Path]) -> None:
    box, port = serve(login=True, tls_context=server_context(cert), require_starttls=True)
    send_digest(sample_digest(), smtp_config(port, "starttls", cafile=cert[0]), ["office@example.gov.cn"], {},
                retry=QUICK)
    assert box.logins == [("duty", PASSWORD)] and len(box.envelopes) == 1
    assert parts(box.messages()[0])["text/plain"].startswith("【读网值班日报】2026-11-23")


def test_ssl_from_the_start(serve: Callable[..., tuple[Mailbox, int]], cert: tuple[Path, Path]) -> None:
    box, port = serve(login=True, ssl_context=server_context(cert), auth_require_tls=False)
    send_digest(sample_digest(), smtp_config(port, "ssl", cafile=cert[0]), ["office@example.gov.cn"], {},
                retry=QUICK)
    assert len(box.envelopes) == 1 and box.logins == [("duty", PASSWORD)]


def test_an_untrusted_certificate_is_refused_without_retrying(
        serve: Callable[..., tuple[Mailbox, int]], cert: tuple[Path, Path], caplog: pytest.LogCaptureFixture) -> None:
    box, port = serve(login=True, tls_context=server_context(cert), require_starttls=True)
    with pytest.raises(MailError, match="smtp.cafile"):
        send_digest(sample_digest(), smtp_config(port, "starttls"), ["office@example.gov.cn"], {},
                    retry=Retry(attempts=3, backoff=60))
    assert not box.envelopes and not box.logins
    assert len([r for r in caplog.records if r.name == "reports.mailer" and r.levelno == logging.WARNING]) == 1


def test_a_server_refusing_the_first_connection_is_retried(caplog: pytest.LogCaptureFixture) -> None:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    late = threading.Timer(0.2, controller.start)  # nothing listens when the first attempt connects
    late.start()
    try:
        with caplog.at_level(logging.INFO, logger="reports.mailer"):
            send_digest(sample_digest(), smtp_config(port, "none", login=False), ["office@example.gov.cn"], {},
                        retry=Retry(attempts=3, backoff=1.5))
    finally:
        late.join()
        controller.stop()
    assert len(box.envelopes) == 1
    assert "第 1/3 次" in caplog.text and "ConnectionRefusedError" in caplog.text and "日报邮件已发送" in caplog.text


def test_a_failed_send_keeps_the_files_and_never_shows_the_password(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = config_for(free_port(), tmp_path / "digests")  # nothing listens there
    with caplog.at_level(logging.DEBUG), pytest.raises(MailError) as raised:
        deliver(sample_digest(), config, retry=Retry(attempts=2, backoff=0.01))
    message = str(raised.value)
    assert "日报邮件未能发送到 office@example.gov.cn、leader@example.gov.cn" in message and "已尝试 2 次" in message
    assert "日报已保存在" in message
    assert PASSWORD not in message and PASSWORD not in caplog.text and raised.value.__cause__ is None
    kept = sorted(p.name for p in (tmp_path / "digests").iterdir())
    assert kept == ["digest-2026-11-23.html", "digest-2026-11-23.txt"]


def test_a_wrong_password_is_not_retried_and_not_shown(
        serve: Callable[..., tuple[Mailbox, int]], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    box, port = serve(login=True, auth_require_tls=False)
    monkeypatch.setenv(PASSWORD_ENV, "wrong-" + PASSWORD)
    with caplog.at_level(logging.DEBUG), pytest.raises(MailError, match="服务器答复 535") as raised:
        send_digest(sample_digest(), smtp_config(port, "none"), ["office@example.gov.cn"], {},
                    retry=Retry(attempts=3, backoff=60))
    assert set(box.logins) == {("duty", "wrong-" + PASSWORD)} and not box.envelopes  # smtplib tries PLAIN, LOGIN
    assert len([r for r in caplog.records if r.name == "reports.mailer" and r.levelno == logging.WARNING]) == 1
    assert PASSWORD not in str(raised.value) and PASSWORD not in caplog.text


def test_login_without_the_password_variable_says_which_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV)
    with pytest.raises(MailError, match=f"环境变量 {PASSWORD_ENV} 未设置或为空"):
        send_digest(sample_digest(), smtp_config(free_port(), "none"), ["office@example.gov.cn"], {}, retry=QUICK)


def test_digest_files_are_named_by_day_and_leave_no_temporary_files(tmp_path: Path) -> None:
    html, txt = write_digest_files(sample_digest(), tmp_path / "d")
    assert (html.name, txt.name) == ("digest-2026-11-23.html", "digest-2026-11-23.txt")
    assert sorted(p.name for p in html.parent.iterdir()) == [html.name, txt.name]
    assert txt.read_text(encoding="utf-8").startswith("【读网值班日报】2026-11-23 某某区人民政府网站：新发现 6 条")
