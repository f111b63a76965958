"""Console users and the audit log on SQLite and PostgreSQL: argon2 hashes only, the lockout, roles
checked on the way in; and the `govwatch users` commands' exit codes, the password never echoed."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from govwatch.cli import main
from storage import Store
from storage import models as db
from storage.users import LOCKOUT, MAX_FAILED_LOGINS, UserBook, UserError

PASSWORD = "s3cret-passphrase"
NOW = datetime(2026, 12, 1, 8, tzinfo=timezone.utc)


def test_passwords_are_kept_only_as_argon2_hashes(store: Store) -> None:
    book = UserBook(store)
    book.add("张三", "duty", "", PASSWORD, NOW)
    with store.reading() as session:
        kept = session.scalar(select(db.User.password_hash))
    assert kept.startswith("$argon2id$") and PASSWORD not in kept
    assert book.sign_in("张三", PASSWORD, NOW).user.role == "duty"
    assert book.sign_in("张三", "wrong", NOW).user is None


def test_five_failures_lock_for_fifteen_minutes_then_it_opens(store: Store) -> None:
    book = UserBook(store)
    book.add("duty", "duty", "", PASSWORD, NOW)
    for n in range(MAX_FAILED_LOGINS - 1):
        assert book.sign_in("duty", "wrong", NOW).reason == "用户名或密码错误"
    locked = book.sign_in("duty", "wrong", NOW)
    assert locked.user is None and "锁定" in locked.reason
    assert book.sign_in("duty", PASSWORD, NOW + LOCKOUT - timedelta(seconds=1)).user is None
    assert book.sign_in("duty", PASSWORD, NOW + LOCKOUT).user is not None
    # A success clears the count: four more failures do not lock.
    for _ in range(MAX_FAILED_LOGINS - 1):
        book.sign_in("duty", "wrong", NOW + LOCKOUT)
    assert book.sign_in("duty", PASSWORD, NOW + LOCKOUT).user is not None


def test_roles_units_and_disabling(store: Store) -> None:
    book = UserBook(store)
    with pytest.raises(UserError, match="--unit"):
        book.add("u", "unit", "", PASSWORD, NOW)
    with pytest.raises(UserError, match="只有责任单位"):
        book.add("d", "duty", "某局", PASSWORD, NOW)
    with pytest.raises(UserError, match="角色"):
        book.add("x", "root", "", PASSWORD, NOW)
    with pytest.raises(UserError, match="至少"):
        book.add("x", "admin", "", "short", NOW)
    book.add("u", "unit", "某某县教育局", PASSWORD, NOW)
    with pytest.raises(UserError, match="已存在"):
        book.add("u", "unit", "某某县教育局", PASSWORD, NOW)
    assert book.active("u").actor().unit == "某某县教育局"
    book.disable("u")
    assert book.active("u") is None and book.sign_in("u", PASSWORD, NOW).user is None


def test_the_audit_log_keeps_who_what_when_where(store: Store) -> None:
    book = UserBook(store)
    book.audit(NOW, "张三", "误报", "工单 7", "引用原文", "10.0.0.8")
    book.audit(NOW + timedelta(minutes=1), "李四", "登录", "李四", "用户名或密码错误", "10.0.0.9", ok=False)
    entries, total = book.audit_log()
    assert total == 2 and [(e.user, e.action, e.address, e.ok) for e in entries] == [
        ("李四", "登录", "10.0.0.9", False), ("张三", "误报", "10.0.0.8", True)]


def test_users_commands(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "gw.db"}"\n', encoding="utf-8")
    runner = CliRunner()
    added = runner.invoke(main, ["users", "add", "张三", "--role", "duty", "--config", str(config), "--password-stdin"],
                          input=PASSWORD + "\n")
    assert added.exit_code == 0 and "已添加用户 张三" in added.output and PASSWORD not in added.output
    unit = runner.invoke(main, ["users", "add", "jyj", "--role", "unit", "--unit", "某某县教育局", "--config", str(config),
                                "--password-stdin"], input=PASSWORD + "\n")
    assert unit.exit_code == 0
    again = runner.invoke(main, ["users", "add", "张三", "--role", "duty", "--config", str(config), "--password-stdin"],
                          input=PASSWORD + "\n")
    assert again.exit_code == 2 and "已存在" in again.output
    no_stdin = runner.invoke(main, ["users", "add", "x", "--role", "admin", "--config", str(config)])
    assert no_stdin.exit_code == 2 and "--password-stdin" in no_stdin.output
    listed = runner.invoke(main, ["users", "list", "--config", str(config), "--json"])
    users = json.loads(listed.output)["users"]
    assert listed.exit_code == 0 and [(u["name"], u["role"], u["unit"]) for u in users] == [
        ("jyj", "unit", "某某县教育局"), ("张三", "duty", "")]
    assert all("password" not in json.dumps(u) for u in users)
    assert runner.invoke(main, ["users", "disable", "张三", "--config", str(config)]).exit_code == 0
    assert runner.invoke(main, ["users", "disable", "王五", "--config", str(config)]).exit_code == 2
    assert json.loads(runner.invoke(main, ["users", "list", "--config", str(config), "--json"]).output)[
        "users"][1]["disabled"] is True
