"""The key that signs the console's session cookies: from the config, the environment, or a file.

A key generated here is written once, readable by its owner only (0600), beside the database it
serves (`govwatch.db` → `govwatch.db.web-secret`), so every restart and every process of the console
keeps sessions valid. A database that is not a file (PostgreSQL) keeps it beside the config file,
else in the working directory, as `govwatch-web-secret`.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

from core.config import Config

ENV_VAR = "GOVWATCH_WEB_SECRET"
FILE_NAME = "govwatch-web-secret"


class SecretError(RuntimeError):
    """The key file cannot be read or written safely; the message is Chinese."""


def secret_key(config: Config) -> str:
    if config.web.secret_key:
        return config.web.secret_key
    if from_env := os.environ.get(ENV_VAR, ""):
        if len(from_env) < 16:
            raise SecretError(f"环境变量 {ENV_VAR} 至少应有 16 个字符")
        return from_env
    return _kept(key_file(config))


def key_file(config: Config) -> Path:
    url = make_url(config.database.url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        database = Path(url.database)
        return database.with_name(database.name + ".web-secret")
    return (config.path.parent if config.path else Path.cwd()) / FILE_NAME


def _kept(path: Path) -> str:
    """The key in `path`, made on first use. Written aside and linked into place, so two processes starting
    at once agree on one key and neither ever reads a half-written file."""
    if path.exists():
        return _read(path)
    key = secrets.token_urlsafe(48)
    aside = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(key + "\n")
        os.link(aside, path)
    except FileExistsError:
        return _read(path)
    except OSError as exc:
        raise SecretError(f"无法创建会话密钥文件 {path}：{exc.strerror}") from None
    finally:
        aside.unlink(missing_ok=True)
    return key


def _read(path: Path) -> str:
    try:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            raise SecretError(f"会话密钥文件 {path} 可被其他用户读取，请执行 chmod 600 {path}")
        key = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretError(f"无法读取会话密钥文件 {path}：{exc}") from None
    if len(key) < 16:
        raise SecretError(f"会话密钥文件 {path} 内容无效（为空或过短），删除后重启即可重新生成")
    return key
