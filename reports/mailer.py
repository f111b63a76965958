"""Mailing the digest: one mail to the duty staff, one per unit that has its own recipients.

The digest is written to disk before anything is sent, so a mail server that is down loses nothing.
The SMTP password is read at send time from the environment variable `smtp.password_env` names; it
never appears in a log line or in an exception's message.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from zoneinfo import ZoneInfo

from core.config import Config, SmtpConfig

from .digest import Digest, render_html, render_text

log = logging.getLogger(__name__)


class MailError(Exception):
    """A digest that was not sent; the message is Chinese, names no secret, and may be shown as is."""


@dataclass(frozen=True)
class Retry:
    """Attempts per mail; the wait before the next attempt starts at `backoff` seconds and doubles."""

    attempts: int = 2  # short: `serve` sends a failed digest again every `digest.retry_minutes`
    backoff: float = 2.0


RETRY = Retry()


def write_digest_files(digest: Digest, out_dir: Path) -> tuple[Path, Path]:
    """`digest-YYYY-MM-DD.html` and `.txt` in `out_dir`, each replaced whole or not at all."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"digest-{digest.day.isoformat()}"
    html, txt = stem.with_suffix(".html"), stem.with_suffix(".txt")
    _write_atomically(html, render_html(digest) + "\n")
    _write_atomically(txt, render_text(digest) + "\n")
    return html, txt


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def build_message(digest: Digest, sender: str, recipients: list[str]) -> EmailMessage:
    """multipart/alternative: the text version first, the HTML one last (what clients prefer to show)."""
    message = EmailMessage()
    message["Subject"] = digest.subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = format_datetime(datetime.now(ZoneInfo(digest.tz)))
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or "govwatch.invalid")
    message.set_content(render_text(digest) + "\n", charset="utf-8", cte="base64")
    message.add_alternative(render_html(digest), subtype="html", charset="utf-8", cte="base64")
    return message


def send_digest(digest: Digest, smtp: SmtpConfig, recipients: list[str],
                unit_recipients: dict[str, list[str]], *, retry: Retry = RETRY) -> int:
    """The whole digest to `recipients`, and each unit's own part to its addresses when it has any
    new, overdue or fixed problem. Every mail is tried; the number sent is returned, and MailError
    raised at the end when any failed."""
    if not smtp.host:
        raise MailError("未配置邮件服务器（smtp.host），日报没有发送")
    mails = [(digest, recipients)] if recipients else []
    for unit, addresses in unit_recipients.items():
        mine = digest.for_unit(unit)
        if addresses and (mine.new or mine.overdue or mine.fixed):
            mails.append((mine, addresses))
    errors = []
    for mail, to in mails:
        try:
            send_message(build_message(mail, smtp.sender, to), smtp, to, retry=retry)
        except MailError as exc:  # said once, by whoever catches the MailError below
            errors.append(str(exc))
    if errors:
        raise MailError("；".join(errors))
    return len(mails)


def deliver(digest: Digest, config: Config, *, retry: Retry = RETRY) -> tuple[Path, Path]:
    """What the daemon and `digest --send` do: keep the digest in `digest.dir`, then mail it."""
    paths = write_digest_files(digest, Path(config.digest.dir))
    try:
        send_digest(digest, config.smtp, config.digest.recipients, config.digest.unit_recipients, retry=retry)
    except MailError as exc:
        raise MailError(f"{exc}。日报已保存在 {paths[0]}") from None
    return paths


def send_message(message: EmailMessage, smtp: SmtpConfig, recipients: list[str], *, retry: Retry = RETRY) -> None:
    """Send one mail, retrying what may pass on a second try (connection, timeout, 4xx replies)."""
    password = _password(smtp)
    context = _tls_context(smtp)
    where, reason = f"{smtp.host}:{smtp.port}", ""
    for attempt in range(1, retry.attempts + 1):
        try:
            with _connect(smtp, context, password) as client:
                refused = client.send_message(message, from_addr=parseaddr(smtp.sender)[1], to_addrs=recipients)
        except OSError as exc:  # smtplib's and ssl's errors are OSErrors
            reason = _describe(exc, password)
            log.warning("日报邮件发送失败（%s，第 %d/%d 次）：%s", where, attempt, retry.attempts, reason)
            if _permanent(exc):
                raise MailError(f"日报邮件未能发送到 {'、'.join(recipients)}（{where}）：{reason}") from None
            if attempt < retry.attempts:
                time.sleep(retry.backoff * 2 ** (attempt - 1))
            continue
        if refused:
            raise MailError(f"邮件服务器拒收了以下收件人：{'、'.join(refused)}（{where}）")
        log.info("日报邮件已发送到 %s", "、".join(recipients))
        return
    raise MailError(f"日报邮件未能发送到 {'、'.join(recipients)}（{where}，已尝试 {retry.attempts} 次）：{reason}")


def _password(smtp: SmtpConfig) -> str:
    if not smtp.username:
        return ""
    password = os.environ.get(smtp.password_env, "")
    if not password:
        raise MailError(f"已设置 smtp.username，但环境变量 {smtp.password_env} 未设置或为空，无法登录邮件服务器")
    return password


def _tls_context(smtp: SmtpConfig) -> ssl.SSLContext:
    """Certificates are always verified: against `smtp.cafile` when set, else the system's CAs."""
    try:
        return ssl.create_default_context(cafile=smtp.cafile or None)
    except (OSError, ssl.SSLError) as exc:
        raise MailError(f"无法读取 smtp.cafile 指定的证书文件 {smtp.cafile}：{exc}") from None


def _connect(smtp: SmtpConfig, context: ssl.SSLContext, password: str) -> smtplib.SMTP:
    if smtp.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    try:
        if smtp.security == "starttls":
            client.starttls(context=context)
        if smtp.username:
            client.login(smtp.username, password)
    except BaseException:
        client.close()
        raise
    return client


def _permanent(exc: OSError) -> bool:
    """Failures a second attempt cannot mend: a refused login, a 5xx reply, a certificate not trusted."""
    if isinstance(exc, (ssl.SSLCertVerificationError, smtplib.SMTPNotSupportedError)):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def _describe(exc: OSError, password: str) -> str:
    """The failure in one line, with the password blanked should a server ever echo it."""
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        text = f"服务器答复 {exc.smtp_code} {error}"
    elif isinstance(exc, smtplib.SMTPRecipientsRefused):
        text = "收件人全部被拒收：" + "、".join(exc.recipients)
    else:
        text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        text += "（服务器使用自签名证书或内部 CA 签发的证书时，请在 smtp.cafile 中指定该证书）"
    return text.replace(password, "***") if password else text
