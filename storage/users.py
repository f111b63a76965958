"""Console users, their sign-in (argon2 hashes, lockout) and the audit log of what they did.

It stands on the store as the ticket service does. A password is taken, hashed and forgotten: it is
never stored, logged or put in a message. Five failed sign-ins in a row lock a name for fifteen
minutes, and while locked even the right password is refused, so guessing gains nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from . import models as db
from .store import Store
from .times import aware

ROLES = {"admin": "管理员", "duty": "读网值班", "unit": "责任单位"}
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 8
_HASHER = PasswordHasher()


class UserError(ValueError):
    """A user cannot be added or changed; the message is Chinese."""


@dataclass(frozen=True)
class Actor:
    """Who does something to a ticket: a console user, or the operator at the shell (an admin)."""

    name: str
    role: str
    unit: str = ""

    @property
    def sees_every_unit(self) -> bool:
        return self.role in ("admin", "duty")


def operator(by: str = "") -> Actor:
    """The person at the server's shell: the CLI may do everything, as an admin."""
    return Actor(by, "admin")


@dataclass(frozen=True)
class UserRecord:
    """A user as `govwatch users list --json` shows it. Field names are that JSON's contract."""

    name: str
    role: str
    unit: str
    disabled: bool
    created_at: datetime
    last_login_at: datetime | None
    locked_until: datetime | None

    def actor(self) -> Actor:
        return Actor(self.name, self.role, self.unit)

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "role": self.role, "unit": self.unit, "disabled": self.disabled,
                "created_at": self.created_at.isoformat(),
                "last_login_at": self.last_login_at.isoformat() if self.last_login_at else None,
                "locked_until": self.locked_until.isoformat() if self.locked_until else None}


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the user, or why not (`reason` is shown to the person, in Chinese)."""

    user: UserRecord | None
    reason: str = ""


@dataclass(frozen=True)
class AuditRecord:
    at: datetime
    user: str
    action: str
    target: str
    detail: str
    address: str
    ok: bool


class UserBook:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, name: str, role: str, unit: str, password: str, now: datetime) -> UserRecord:
        name, unit = name.strip(), unit.strip()
        if not name or len(name) > 100 or any(ch.isspace() or not ch.isprintable() for ch in name):
            raise UserError("用户名应为 1–100 个字符，不含空白或控制字符")
        if role not in ROLES:
            raise UserError(f"角色应为 {'、'.join(ROLES)} 之一，实际是 {role!r}")
        if role == "unit" and not unit:
            raise UserError("责任单位用户（--role unit）必须用 --unit 指定所属单位")
        if role != "unit" and unit:
            raise UserError("只有责任单位用户（--role unit）才属于某个单位")
        if len(password) < MIN_PASSWORD:
            raise UserError(f"密码至少 {MIN_PASSWORD} 个字符")
        with self.store.writing() as session:
            if session.scalar(select(db.User.id).where(db.User.name == name)) is not None:
                raise UserError(f"用户 {name} 已存在")
            session.add(db.User(name=name, role=role, unit=unit, password_hash=_HASHER.hash(password),
                                disabled=False, created_at=now, failed_logins=0))
        return self.get(name)

    def set_password(self, name: str, password: str) -> UserRecord:
        """A new password; the user is enabled and unlocked (the demo hands out a fresh one each run)."""
        if len(password) < MIN_PASSWORD:
            raise UserError(f"密码至少 {MIN_PASSWORD} 个字符")
        with self.store.writing() as session:
            user = session.scalar(select(db.User).where(db.User.name == name))
            if user is None:
                raise UserError(f"没有名为 {name} 的用户")
            user.password_hash, user.disabled = _HASHER.hash(password), False
            user.failed_logins, user.locked_until = 0, None
        return self.get(name)

    def disable(self, name: str) -> UserRecord:
        with self.store.writing() as session:
            user = session.scalar(select(db.User).where(db.User.name == name))
            if user is None:
                raise UserError(f"没有名为 {name} 的用户")
            user.disabled = True
        return self.get(name)

    def get(self, name: str) -> UserRecord:
        with self.store.reading() as session:
            user = session.scalar(select(db.User).where(db.User.name == name))
        if user is None:
            raise UserError(f"没有名为 {name} 的用户")
        return _record(user)

    def active(self, name: str) -> UserRecord | None:
        """The user a session names, while it may still act (not disabled since it signed in)."""
        with self.store.reading() as session:
            user = session.scalar(select(db.User).where(db.User.name == name, db.User.disabled.is_(False)))
        return _record(user) if user else None

    def list(self) -> list[UserRecord]:
        with self.store.reading() as session:
            return [_record(u) for u in session.scalars(select(db.User).order_by(db.User.name))]

    def sign_in(self, name: str, password: str, now: datetime) -> SignIn:
        refused = SignIn(None, "用户名或密码错误")
        with self.store.writing() as session:
            user = session.scalar(select(db.User).where(db.User.name == name))
            if user is None or user.disabled:
                _verify(_dummy_hash(), password)
                return refused
            if user.locked_until is not None and aware(user.locked_until) > now:
                return SignIn(None, _locked_message(aware(user.locked_until), now))
            if not _verify(user.password_hash, password):
                user.failed_logins += 1
                if user.failed_logins >= MAX_FAILED_LOGINS:
                    user.failed_logins, user.locked_until = 0, now + LOCKOUT
                    return SignIn(None, _locked_message(now + LOCKOUT, now))
                return refused
            if _HASHER.check_needs_rehash(user.password_hash):
                user.password_hash = _HASHER.hash(password)
            user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
            session.flush()
            return SignIn(_record(user))

    # -- the audit log ---------------------------------------------------------------------------

    def audit(self, at: datetime, user: str, action: str, target: str = "", detail: str = "", address: str = "",
              ok: bool = True) -> None:
        with self.store.writing() as session:
            session.add(db.AuditEntry(at=at, user=user[:100], action=action[:60], target=target[:200],
                                      detail=detail[:2000], address=address[:100], ok=ok))

    def audit_log(self, limit: int = 200, offset: int = 0) -> tuple[list[AuditRecord], int]:
        """The newest entries first, and how many there are in all."""
        with self.store.reading() as session:
            total = session.scalar(select(func.count(db.AuditEntry.id))) or 0
            rows = session.scalars(select(db.AuditEntry).order_by(db.AuditEntry.id.desc())
                                   .limit(limit).offset(offset)).all()
        return [AuditRecord(aware(r.at), r.user, r.action, r.target, r.detail, r.address, r.ok) for r in rows], total


@cache
def _dummy_hash() -> str:
    """Verified when the name is unknown, so an unknown name takes as long to refuse as a wrong password."""
    return _HASHER.hash("govwatch-no-such-user")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _locked_message(until: datetime, now: datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    return f"连续登录失败次数过多，该账号已锁定，请 {minutes} 分钟后再试"


def _record(user: db.User) -> UserRecord:
    return UserRecord(user.name, user.role, user.unit, user.disabled, aware(user.created_at),
                      aware(user.last_login_at) if user.last_login_at else None,
                      aware(user.locked_until) if user.locked_until else None)
