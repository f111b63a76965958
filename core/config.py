"""The one TOML configuration file: its schema, defaults, documentation and validation.

Every key is a dataclass field whose metadata carries its documentation; the README's table lists
them all (a test fails when one is missing). Validation errors name the key and, where the TOML
text allows, its line, so a broken config is fixed in one look.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
import types
import typing
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, datetime, timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

from .model import KINDS
from .urls import url_problem

REQUIRED = MISSING


def doc(text: str, default: Any = REQUIRED, **kw: Any) -> Any:
    """A config field with its documentation; without a default the key is required."""
    if default is REQUIRED:
        return field(metadata={"doc": text}, **kw)
    if isinstance(default, (list, dict)):
        return field(default_factory=default.copy, metadata={"doc": text})
    return field(default=default, metadata={"doc": text})


@dataclass
class DatabaseConfig:
    url: str = doc("SQLAlchemy URL of the finding store; PostgreSQL in production, e.g. "
                   "`postgresql+psycopg://user@host/govwatch`", "sqlite:///govwatch.db")


@dataclass
class CrawlConfig:
    timeout: float = doc("Seconds before a page or link counts as “cannot open” (the inspection uses 15)", 15.0)
    concurrency: int = doc("Requests in flight per crawl process", 16)
    concurrency_per_host: int = doc("Requests in flight per host, to stay polite to small servers", 4)
    delay: float = doc("Seconds between requests to the same host", 0.0)
    autothrottle: bool = doc("Adapt the delay to each server's latency (Scrapy AutoThrottle)", False)
    retries: int = doc("Retries of a failed request (connection errors, 5xx) before it counts as failed", 2)
    max_pages: int = doc("Pages crawled per scan at most, over all sites", 50000)
    max_depth: int = doc("Link depth from a site's homepage at most", 20)
    max_response_size: int = doc("Bytes read of one response at most, on the wire and once decompressed (gzip, "
                                 "deflate, br, zstd); a larger page is cut off there and its start checked",
                                 5_000_000)
    max_query_variants: int = doc("Distinct query strings followed per path at most (calendar traps)", 30)
    check_links: bool = doc("Check every link target found (dead links)", True)
    attachments: bool = doc("Download PDF/DOCX/XLSX/DOC/XLS attachments and check their text", True)
    max_attachment_size: int = doc("Bytes of one attachment read at most, on the wire and once decompressed; "
                                   "larger ones are not checked", 20_000_000)
    attachment_timeout: float = doc("Seconds one attachment may take to read; a reader still busy 5 s "
                                    "later is killed and the attachment reported as unreadable", 30.0)
    max_links_per_page: int = doc("Distinct links taken from one page at most (checked, followed); the rest "
                                  "are left out and the page named in the scan's notes", 10_000)
    attachment_memory_mb: int = doc("Memory (address space, MB) the attachment reader process may use; a "
                                    "reader that needs more is killed and the attachment reported as unreadable",
                                    512)
    user_agent: str = doc("User-Agent sent with every request",
                          "Mozilla/5.0 (compatible; govwatch/0.1; +government website self-inspection)")
    incremental_list_pages: int = doc("List pages an incremental scan re-reads in every known column after its "
                                      "first page (new items push old ones down the pagination)", 2)
    link_recheck_hours: float = doc("Hours a link target found alive is not requested again by an incremental "
                                    "scan (dead ones are always re-checked)", 24.0)
    redis_url: str = doc("Redis URL (`redis://host:6379/0`) that turns on distributed scans: the frontier and "
                         "the seen-set live there, `govwatch worker` processes join `govwatch scan`; needs a "
                         "shared PostgreSQL `database.url`. Empty: every scan crawls in one process", "")
    redis_outage_seconds: float = doc("Seconds every process of a distributed scan waits out a Redis outage "
                                      "(each command tried again, up to 5 s apart) before the scan fails; "
                                      "workers then wait for the next scan", 60.0)
    # Crawl supervision (crawler/supervisor.py)
    max_restarts: int = doc("Times a scan's crawl process is started again after it died (out of memory, a crash, "
                            "kill -9), from its frontier on disk; one more death fails the scan", 3)
    max_memory_mb: int = doc("Resident memory of one crawl process at most (MB); past it the process is killed "
                             "and restarted", 2048)
    processes: int = doc("Crawl processes of a local scan, the sites spread over them; 0: one per CPU core, "
                         "at most one per site", 0)


@dataclass
class WordlistsConfig:
    extra: list[str] = doc("Your own word lists (term<TAB>category<TAB>suggestion); relative paths "
                           "are relative to the config file", [])


@dataclass
class ReportConfig:
    dir: str = doc("Folder for HTML reports and crawl logs; relative to the working directory",
                   "govwatch-reports")


@dataclass
class DetectorConfig:
    hidden_link_allow: list[str] = doc("Host suffixes whose hidden links are not 暗链 unless their words or "
                                       "address look like spam, on top of the shipped list "
                                       "(`wordlists/hidden_link_allow.txt`), e.g. your CMS vendor's domain",
                                       [])
    authoritative_sources: list[str] = doc("Outlets a repost may name as its source (来源), on top of the "
                                           "shipped list (`wordlists/sources.txt`: central and provincial "
                                           "news units, local broadcasters and 融媒体中心), e.g. your city's "
                                           "news site", [])


@dataclass
class ProbeConfig:
    window_days: int = doc("Days of homepage probes that the availability rate is computed over "
                           "(the inspection looks at a week)", 7)
    warn_rate: float = doc("Share of failed probes in the window that raises `site_unreachable` "
                           "(the inspection vetoes at 0.05)", 0.03)
    min_probes: int = doc("Probes needed in the window before the rate is judged", 20)


@dataclass
class InteractionConfig:
    max_unanswered_days: int = doc("Days a valid message (留言, 信箱, 咨询 …) may wait for a reply: older and "
                                   "unanswered, within the last year, is `unanswered_message` (the national "
                                   "indicators veto at 3 months, 互动回应差)", 90)
    reply_working_days: int = doc("Working days a reply may take (official PRC holidays and make-up workdays "
                                  "counted): later is `late_reply`", 5)
    column_days: int = doc("Days a consultation column's newest message may be old (留言公开: 2 months)", 60)


@dataclass
class TicketsConfig:
    deadline_hours: int = doc("Hours a unit has to fix a new problem: one natural day, as the county rules "
                              "give for 错敏 content (万州 第二十五条)", 24)
    kind_deadline_hours: dict[str, int] = doc("Finding kind → hours, where a kind gets another deadline, e.g. "
                                              "`dead_link = 72`", {})

    def deadline(self, kind: str) -> timedelta:
        """How long a unit has to fix a new problem of `kind`: the kind's own hours, else the default.
        One rule for every ticket a person opens (`review confirm` in the CLI and the console)."""
        return timedelta(hours=self.kind_deadline_hours.get(kind, self.deadline_hours))


@dataclass
class SmtpConfig:
    host: str = doc("Mail server that sends the digest; empty: the digest is only written to `digest.dir`", "")
    port: int = doc("Its port: 465 for `ssl`, usually 587 for `starttls`, 25 for `none`", 465)
    security: str = doc("`ssl` (TLS from the start), `starttls` (upgrade after connecting) or `none` "
                        "(plain, only inside a trusted network)", "ssl")
    username: str = doc("Login name; empty: send without logging in", "")
    password_env: str = doc("Name of the environment variable holding the password (the password is never "
                            "written in this file, never logged)", "GOVWATCH_SMTP_PASSWORD")
    sender: str = doc("From address, e.g. `读网值班 <duty@example.gov.cn>`", "")
    timeout: float = doc("Seconds to wait for the mail server before an attempt counts as failed", 30.0)
    cafile: str = doc("PEM file of the certificate authority (or the server's own self-signed certificate) "
                      "to trust for `ssl`/`starttls`, relative to the working directory; empty: the system's; "
                      "certificates are always verified", "")


@dataclass
class DigestConfig:
    recipients: list[str] = doc("Addresses of the reading-duty staff (读网值班), who get the whole digest", [])
    time: str = doc("When the daily digest goes out, `HH:MM` in `timezone`", "08:00")
    unit_recipients: dict[str, list[str]] = doc("Unit name (a site's or column's `unit`) → addresses that get "
                                                "a digest of only that unit's problems, e.g. "
                                                "`\"区教育局\" = [\"jyj@example.gov.cn\"]`", {})
    dir: str = doc("Folder where every digest is kept as `digest-YYYY-MM-DD.html` and `.txt`, sent or not; "
                   "relative to the working directory", "govwatch-digests")
    retry_minutes: float = doc("Minutes between the attempts of `serve` to send a digest that could not be "
                               "sent (mail server down), until one is sent; it carries all since the last one sent",
                               15.0)


@dataclass
class ScheduleConfig:
    scan: str = doc("When `serve` runs the full scan: a cron expression (minute hour day month weekday) in "
                    "the configured time zone", "0 2 * * *")
    probe_minutes: float = doc("Minutes between homepage probes (the inspection probes at least 20 times a day)", 15.0)
    repost_minutes: float = doc("Minutes between checks of the `[[superior]]` lists against our repost columns", 60.0)
    sweep_minutes: float = doc("Minutes between checks of ticket deadlines (overdue tickets)", 10.0)
    incremental_minutes: float = doc("Minutes between incremental scans (`scan --incremental`); 0 turns them off",
                                     60.0)


@dataclass
class WebConfig:
    host: str = doc("Address `govwatch web` listens on; loopback by default, put a TLS reverse proxy in front",
                    "127.0.0.1")
    port: int = doc("Port `govwatch web` listens on", 8460)
    base_url: str = doc("The console's public address, e.g. `https://govwatch.example.gov.cn`; when set, the "
                        "digest links each ticket to its page, and an `https` address makes the session cookie "
                        "Secure", "")
    secret_key: str = doc("Key that signs the console's session cookies (at least 16 characters); empty: the "
                          "environment variable `GOVWATCH_WEB_SECRET`, else one generated once and kept in a 0600 "
                          "file beside the database", "")
    trusted_proxies: list[str] = doc("Addresses or networks (`127.0.0.1`, `10.0.0.0/24`) of the reverse proxies in "
                                     "front of the console: a request from one of them is taken to come from the "
                                     "client its `X-Forwarded-For` names (the proxy's own last entry), for the audit "
                                     "log and the session; from any other peer the header is dropped. Empty: the "
                                     "peer's own address, always", [])


@dataclass
class ColumnConfig:
    url: str = doc("A column's list URL (any page of its list): the column this entry pins")
    name: str = doc("The column's name, where its pages do not say it", "")
    category: str = doc("news, notice, weekly, monthly, quarterly, yearly, planning, interaction or other: "
                        "overrides the category read from the column's name and context", "")
    max_age_days: int = doc("Days the newest item may be old; 0 keeps the category's rule", 0)
    unit: str = doc("The unit responsible for this column, where it is not the site's", "")
    ignore: bool = doc("Never judge this column (an archive, a closed 专题)", False)


@dataclass
class SiteConfig:
    name: str = doc("The site's name as the inspection knows it, e.g. 某某区人民政府")
    url: str = doc("The site's homepage URL; the crawl stays on its host and port")
    unit: str = doc("The unit responsible for fixing what is found there (责任单位)", "")
    parent: str = doc("For a subsite (子站), the `name` of its parent site", "")


@dataclass
class SuperiorConfig:
    name: str = doc("A superior site's list whose items must be reposted, e.g. 中国政府网 最新政策 "
                    "(fetched each scan, never crawled further)")
    url: str = doc("URL of that list page")
    repost_column: str = doc("URL of our column where the reposts appear")
    within_hours: int = doc("Hours allowed between the superior's publication and our repost", 24)


@dataclass
class Config:
    timezone: str = doc("Time zone of dates and times shown to users", "Asia/Shanghai")
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    crawl: CrawlConfig = field(default_factory=CrawlConfig)
    wordlists: WordlistsConfig = field(default_factory=WordlistsConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    detector: DetectorConfig = field(default_factory=DetectorConfig)
    probe: ProbeConfig = field(default_factory=ProbeConfig)
    interaction: InteractionConfig = field(default_factory=InteractionConfig)
    tickets: TicketsConfig = field(default_factory=TicketsConfig)
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    digest: DigestConfig = field(default_factory=DigestConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    web: WebConfig = field(default_factory=WebConfig)
    sites: list[SiteConfig] = field(default_factory=list)
    superior: list[SuperiorConfig] = field(default_factory=list)
    columns: list[ColumnConfig] = field(default_factory=list)
    path: Path | None = None  # where it was loaded from; not a key

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def today(self) -> date:
        """Today in the configured time zone: the one clock every date verdict uses.

        `GOVWATCH_TODAY=YYYY-MM-DD` in the environment pins it: tests and the demo judge their
        fixed-date sites as of the day those were written, and an operator can re-judge as of a day.
        """
        pinned = os.environ.get("GOVWATCH_TODAY", "")
        if pinned:
            try:
                return date.fromisoformat(pinned)
            except ValueError:
                raise ConfigError(f"环境变量 GOVWATCH_TODAY 应为 YYYY-MM-DD 格式的日期，实际是 {pinned!r}") from None
        return datetime.now(self.tz).date()

    def site(self, name: str) -> SiteConfig | None:
        return next((s for s in self.sites if s.name == name), None)


SECTIONS: dict[str, type] = {"database": DatabaseConfig, "crawl": CrawlConfig,
                             "wordlists": WordlistsConfig, "report": ReportConfig, "detector": DetectorConfig,
                             "probe": ProbeConfig, "interaction": InteractionConfig, "tickets": TicketsConfig,
                             "schedule": ScheduleConfig,
                             "smtp": SmtpConfig, "digest": DigestConfig,
                             "web": WebConfig}
ARRAYS: dict[str, type] = {"sites": SiteConfig, "superior": SuperiorConfig, "columns": ColumnConfig}
SMTP_SECURITY = ("ssl", "starttls", "none")
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
MIN_CRAWL_MEMORY_MB = 256  # a crawl process alone takes about 100 MB; less would kill it for nothing
COLUMN_CATEGORIES = ("news", "notice", "weekly", "monthly", "quarterly", "yearly", "planning", "interaction", "other")


class ConfigError(ValueError):
    """An invalid configuration: the message names the key (and its line when known)."""


def documented_keys() -> dict[str, tuple[Any, str]]:
    """Every key as `section.key` (arrays as `sites[].name`) → (default, documentation)."""
    keys: dict[str, tuple[Any, str]] = {"timezone": (Config.timezone, _doc(Config, "timezone"))}
    for prefix, cls in [*SECTIONS.items(), *((f"{k}[]", v) for k, v in ARRAYS.items())]:
        for f in fields(cls):
            default = (f.default if f.default is not MISSING
                       else f.default_factory() if f.default_factory is not MISSING else REQUIRED)
            keys[f"{prefix}.{f.name}"] = (default, f.metadata["doc"])
    return keys


def load(path: str | Path) -> Config:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"无法读取配置文件 {path}：{exc.strerror}") from None
    return loads(_decode(data, path), path)


def _decode(data: bytes, path: Path) -> str:
    """The file's text. TOML is UTF-8, but Windows editors add a BOM or save as GBK or UTF-16: the BOM
    is dropped, anything else refused with where it starts, so the user knows what to re-save."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        guess = "UTF-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "GBK"
        raise ConfigError(f"{path}（第 {line} 行）：配置文件不是 UTF-8 编码（可能是 {guess}），"
                          "请用 UTF-8 编码重新保存（如记事本“另存为”时编码选 UTF-8）") from None


def loads(text: str, path: Path | None = None) -> Config:
    where = f"{path}: " if path else ""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}TOML 语法错误：{exc}") from None

    def fail(key_path: tuple[str | int, ...], message: str) -> typing.NoReturn:
        line = _line_of(text, key_path)
        dotted = ".".join(f"[{p}]" if isinstance(p, int) else p for p in key_path).replace(".[", "[")
        raise ConfigError(f"{where}{dotted}{f'（第 {line} 行）' if line else ''}：{message}")

    config = Config(path=path)
    for key, value in raw.items():
        if key == "timezone":
            config.timezone = _typed(value, str, ("timezone",), fail)
        elif key in SECTIONS:
            if not isinstance(value, dict):
                fail((key,), "应为表（[section]）")
            setattr(config, key, _build(SECTIONS[key], value, (key,), fail))
        elif key in ARRAYS:
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                fail((key,), f"应为表数组（[[{key}]]）")
            setattr(config, key, [_build(ARRAYS[key], v, (key, i), fail) for i, v in enumerate(value)])
        else:
            fail((key,), "未知的配置项")
    _check_values(config, fail)
    return config


def _build(cls: type, values: dict[str, Any], at: tuple[str | int, ...], fail: Any) -> Any:
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in fields(cls)}
    for key in values:
        if key not in known:
            fail((*at, key), "未知的配置项")
    for f in known.values():
        if f.name not in values and f.default is MISSING and f.default_factory is MISSING:
            fail((*at, f.name), "缺少必填项")
    return cls(**{k: _typed(v, hints[k], (*at, k), fail) for k, v in values.items()})


def _typed(value: Any, hint: Any, at: tuple[str | int, ...], fail: Any) -> Any:
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint)
        if not isinstance(value, list):
            fail(at, f"应为{_TYPE_NAMES[item]}列表")
        return [_typed(v, item, at, fail) for v in value]
    if typing.get_origin(hint) is dict:
        _, item = typing.get_args(hint)
        if not isinstance(value, dict):
            fail(at, "应为表（名称 = 值）")
        return {k: _typed(v, item, (*at, k), fail) for k, v in value.items()}
    if isinstance(hint, types.UnionType):
        hint = typing.get_args(hint)[0]
    ok = isinstance(value, hint) and not (hint in (int, float) and isinstance(value, bool))
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not ok:
        fail(at, f"应为{_TYPE_NAMES[hint]}，实际是 {value!r}")
    return value


MIN_ATTACHMENT_MEMORY_MB = 256  # the reader's Python, its libraries and its threads before any attachment


_TYPE_NAMES = {str: "字符串", int: "整数", float: "数字", bool: "布尔值（true/false）"}


def _check_values(config: Config, fail: Any) -> None:
    try:
        ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        fail(("timezone",), f"未知的时区 {config.timezone!r}")
    for key in ("timeout", "concurrency", "concurrency_per_host", "max_pages", "max_depth",
                "max_response_size", "max_query_variants", "max_attachment_size", "attachment_timeout",
                "redis_outage_seconds"):
        if getattr(config.crawl, key) <= 0:
            fail(("crawl", key), "应大于 0")
    for key in ("delay", "retries", "incremental_list_pages", "link_recheck_hours", "max_restarts", "processes"):
        if getattr(config.crawl, key) < 0:
            fail(("crawl", key), "不能为负数")
    if config.crawl.max_links_per_page <= 0:
        fail(("crawl", "max_links_per_page"), "应大于 0")
    if config.crawl.attachment_memory_mb < MIN_ATTACHMENT_MEMORY_MB:
        fail(("crawl", "attachment_memory_mb"), f"至少为 {MIN_ATTACHMENT_MEMORY_MB}（读取附件的进程本身约需 200 MB）")
    if config.crawl.max_memory_mb < MIN_CRAWL_MEMORY_MB:
        fail(("crawl", "max_memory_mb"), f"应不小于 {MIN_CRAWL_MEMORY_MB}（一个爬取进程本身约占 100 MB，抓取大页面时更多）")
    _check_distributed(config, fail)
    try:
        CronTrigger.from_crontab(config.schedule.scan)
    except ValueError as exc:
        fail(("schedule", "scan"), f"不是有效的 cron 表达式（分 时 日 月 周，例如 \"0 2 * * *\"）：{exc}")
    for key in ("probe_minutes", "repost_minutes", "sweep_minutes"):
        if getattr(config.schedule, key) <= 0:
            fail(("schedule", key), "应大于 0")
    if config.schedule.incremental_minutes < 0:
        fail(("schedule", "incremental_minutes"), "不能为负数（0 表示不运行增量扫描）")
    if config.tickets.deadline_hours <= 0:
        fail(("tickets", "deadline_hours"), "应大于 0")
    for kind, hours in config.tickets.kind_deadline_hours.items():
        if kind not in KINDS:
            fail(("tickets", "kind_deadline_hours", kind), f"未知的问题类型 {kind!r}（见 README 的问题类型表）")
        if hours <= 0:
            fail(("tickets", "kind_deadline_hours", kind), "应大于 0")
    for key in ("max_unanswered_days", "reply_working_days", "column_days"):
        if getattr(config.interaction, key) <= 0:
            fail(("interaction", key), "应大于 0")
    for key in ("window_days", "min_probes"):
        if getattr(config.probe, key) <= 0:
            fail(("probe", key), "应大于 0")
    if not 0 < config.probe.warn_rate < 1:
        fail(("probe", "warn_rate"), "应在 0 与 1 之间，例如 0.03")
    names = [s.name for s in config.sites]
    for i, site in enumerate(config.sites):
        if problem := url_problem(site.url):
            fail(("sites", i, "url"), f"{problem}：{site.url!r}")
        if names.count(site.name) > 1:
            fail(("sites", i, "name"), f"站点名称重复：{site.name}")
        if site.parent and site.parent not in names:
            fail(("sites", i, "parent"), f"上级站点 {site.parent!r} 不在 [[sites]] 中")
    for i, column in enumerate(config.columns):
        if problem := url_problem(column.url):
            fail(("columns", i, "url"), f"{problem}：{column.url!r}")
        if column.category and column.category not in COLUMN_CATEGORIES:
            fail(("columns", i, "category"), f"应为 {'、'.join(COLUMN_CATEGORIES)} 之一，实际是 {column.category!r}")
        if column.max_age_days < 0:
            fail(("columns", i, "max_age_days"), "不能为负数")
    for i, sup in enumerate(config.superior):
        for key in ("url", "repost_column"):
            if problem := url_problem(getattr(sup, key)):
                fail(("superior", i, key), f"{problem}：{getattr(sup, key)!r}")
        if sup.within_hours <= 0:
            fail(("superior", i, "within_hours"), "应大于 0")
    _check_mail(config, fail)
    _check_web(config, fail)


def _check_web(config: Config, fail: Any) -> None:
    web = config.web
    if not 0 < web.port < 65536:
        fail(("web", "port"), "端口号无效（应为 1–65535）")
    if not web.host.strip():
        fail(("web", "host"), "不能为空（本机使用 \"127.0.0.1\"）")
    if web.base_url and (not web.base_url.startswith(("http://", "https://")) or url_problem(web.base_url)):
        fail(("web", "base_url"), f"应为 http(s) 网址，如 \"https://govwatch.example.gov.cn\"，实际是 {web.base_url!r}")
    if web.secret_key and len(web.secret_key) < 16:
        fail(("web", "secret_key"), "至少 16 个字符（留空则自动生成并保存在数据库旁的文件中）")
    for entry in web.trusted_proxies:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            fail(("web", "trusted_proxies"), f"应为反向代理的 IP 地址或网段，如 \"127.0.0.1\" 或 \"10.0.0.0/24\"，"
                                             f"实际是 {entry!r}")


def _check_distributed(config: Config, fail: Any) -> None:
    """Workers on other machines write into the leader's database: a SQLite file cannot be shared so."""
    url = config.crawl.redis_url
    if not url:
        return
    if not url.startswith(REDIS_SCHEMES) or len(url) <= url.index("://") + 3:
        fail(("crawl", "redis_url"), f"应为 Redis 地址，如 \"redis://127.0.0.1:6379/0\"，实际是 {url!r}")
    if config.database.url.startswith("sqlite"):
        fail(("crawl", "redis_url"), "分布式扫描要求各机器共享同一个数据库，SQLite 文件无法共享；"
                                     "请把 database.url 改为 PostgreSQL（如 \"postgresql+psycopg://user@host/govwatch\"）")


def _check_mail(config: Config, fail: Any) -> None:
    """`[smtp]` and `[digest]`: a typo here would only show at 8 am as a digest nobody got."""
    smtp, digest = config.smtp, config.digest
    if smtp.security not in SMTP_SECURITY:
        fail(("smtp", "security"), f"应为 {'、'.join(SMTP_SECURITY)} 之一，实际是 {smtp.security!r}")
    if not 0 < smtp.port < 65536:
        fail(("smtp", "port"), "端口号无效（应为 1–65535）")
    if smtp.timeout <= 0:
        fail(("smtp", "timeout"), "应大于 0")
    if smtp.sender and not _is_address(smtp.sender):
        fail(("smtp", "sender"), f"不是有效的邮箱地址：{smtp.sender!r}")
    if smtp.host and not smtp.sender:
        fail(("smtp", "sender"), "填写了 smtp.host 时必须填写发件人地址")
    if digest.retry_minutes <= 0:
        fail(("digest", "retry_minutes"), "应大于 0")
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", digest.time):
        fail(("digest", "time"), f"应为 HH:MM 格式的时间（如 \"08:00\"），实际是 {digest.time!r}")
    for address in digest.recipients:
        if not _is_address(address):
            fail(("digest", "recipients"), f"不是有效的邮箱地址：{address!r}")
    units = {s.unit for s in config.sites} | {c.unit for c in config.columns}
    for unit, addresses in digest.unit_recipients.items():
        if unit not in units:
            fail(("digest", "unit_recipients", unit), f"没有哪个站点或栏目的 unit 是 {unit!r}")
        for address in addresses:
            if not _is_address(address):
                fail(("digest", "unit_recipients", unit), f"不是有效的邮箱地址：{address!r}")


def _is_address(text: str) -> bool:
    address = parseaddr(text)[1]
    return "@" in address.strip("@") and not any(ch.isspace() for ch in address)


def _doc(cls: type, name: str) -> str:
    return next(f.metadata["doc"] for f in fields(cls) if f.name == name)


def _line_of(text: str, key_path: tuple[str | int, ...]) -> int | None:
    """The 1-based line where `key_path` is set (or its table starts); None when not written."""
    parts = list(key_path)
    key = parts.pop() if not isinstance(parts[-1], int) else None
    table_index = parts.pop() if parts and isinstance(parts[-1], int) else 0
    table = ".".join(map(str, parts)) or None  # a nested table such as [digest.unit_recipients]
    current: str | None = None
    current_index = 0
    seen: dict[str, int] = {}
    table_line: int | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]", line)
        if header:
            current = header.group(2)
            seen[current] = seen.get(current, -1) + 1
            current_index = seen[current] if header.group(1) == "[[" else 0
            if table is None and current == key:
                return lineno
            if (current, current_index) == (table, table_index):
                table_line = lineno
        elif (current, current_index) == (table, table_index) and key is not None:
            if re.match(rf"\s*([\"']?){re.escape(key)}\1\s*=", line):
                return lineno
    if table_line is None and len(parts) > 1:  # the nested table written inline in its parent
        return _line_of(text, tuple(parts))
    return table_line
