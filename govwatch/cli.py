"""The `govwatch` command line. Each command's docstring is its --help.

Exit codes: 0 success (for `check`: clean), 1 findings (`check`), 2 errors (bad config, bad URL,
unreachable page, database, a scan already running), 130/143 a scan interrupted by SIGINT/SIGTERM.
Messages are in Chinese; the finding JSON and the scans JSON are the machine interface.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import signal
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, NoReturn

import click

from core.collector import SCAN_YOUNG, collect_less_often
from core.config import Config, ConfigError, load
from core.model import Finding
from core.urls import url_problem
from govwatch import __version__, clicktext
from govwatch.progress import Progress
from govwatch.stores import ScanFailed, open_store
from core.model import TICKET_STATUS_LABELS, TICKET_STEP_LABELS
from reports import findings_json, summary
from storage import ScanBusy, Store
from storage.reviews import CONFIRMED, ReviewBook, ReviewError
from storage.tickets import TicketBook, TicketError
from storage.users import ROLES as ROLE_LABELS
from storage import migrate

# The scan service loads the crawler (Scrapy) and the detector: imported by the commands that run
# them, so that the others (tickets, scans, status, users …) and --help start in half the time.
if TYPE_CHECKING:
    from govwatch.service import ScanKind, ScanOutcome, StopRequest, WorkerPart

SIGNAL_EXIT = {"SIGINT": 130, "SIGTERM": 143}
STOP_SECONDS = 60  # how long `serve` waits for its running jobs once stopped: it promises to exit within a minute
COVERAGE_LINES = 5  # pages named in the terminal summary; the report and the JSON name them all
clicktext.install()  # before the decorators below: click reads some of its words when they run


def fail(message: str) -> NoReturn:
    click.echo(f"错误：{message}", err=True)
    sys.exit(2)


def load_config(path: str | None) -> Config:
    if path is None:
        return Config()
    try:
        return load(path)
    except ConfigError as exc:
        fail(f"配置无效：{exc}")


def opened(config: Config) -> Store:
    """The store, or exit 2 with the database's own reason in Chinese."""
    try:
        return open_store(config)
    except ScanFailed as exc:
        fail(str(exc))


config_option = click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False),
                             help="配置文件（TOML）。")


def run() -> None:
    """The `govwatch` command (run by the console script and `python -m govwatch`, govwatch.command):
    `main`, then an exit that skips the interpreter's last garbage collection over every object
    still alive. After a scan or a check that is the word matcher and jieba's dictionary: 0.3–0.4 s
    of an incremental scan's 5 s (BENCHMARKS.md), spent on a process that is ending. Objects are
    still freed by their reference counts, and atexit handlers, logging and streams end as usual.
    Cycles are collected less often than by default (core.collector)."""
    collect_less_often(SCAN_YOUNG)
    try:
        main()
    finally:
        gc.freeze()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govwatch")
@click.option("-v", "--verbose", is_flag=True, help="输出调试日志。")
def main(verbose: bool) -> None:
    """govwatch：政府网站 7×24 小时巡检（错敏信息、隐私泄露、涉密标识、暗链、错链断链）。"""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@main.command()
@config_option
@click.option("--json", "json_out", type=click.Path(dir_okay=False),
              help="把本次扫描发现的问题写入 JSON 文件。")
@click.option("--incremental", is_flag=True,
              help="增量扫描：只重读首页、网站地图和各栏目前几页，只抓取新出现的页面，只复查新链接和到期的链接。"
                   "数据库中还没有完成的完整扫描时，改为完整扫描。")
def scan(config_path: str, json_out: str | None, incremental: bool) -> None:
    """对配置中的全部站点完整扫描一次：爬取、检查、入库，并按站点和类型汇总。

    加 --incremental 只扫描上次以来的新内容（未变化的页面沿用上次的检查结果），适合每小时运行；
    新增的敏感词等规则和不在栏目前几页的改动，仍由完整扫描发现。

    按 Ctrl+C（或收到 SIGTERM）会停止爬取，保留已检查的结果，扫描记为“已中断”，退出码 130/143。
    """
    from crawler.launch import warm_crawl_process

    config = load_config(config_path)
    json_path = writable_output(json_out)
    with warm_crawl_process():  # its imports run beside ours, the store's and the word lists'
        if incremental and not has_full_scan(config):
            click.echo("数据库中还没有完成的完整扫描，增量扫描无从比较，本次改为完整扫描。")
        from govwatch.service import FULL, INCREMENTAL

        outcome = scan_now(config, INCREMENTAL if incremental else FULL)
    findings = publish(config, outcome, json_path)
    print_summary(outcome, findings)
    if outcome.status == "interrupted":
        sys.exit(SIGNAL_EXIT.get(outcome.stop_reason, 2))
    if outcome.status == "failed":
        fail(f"扫描失败：{outcome.error}")


@main.command()
@config_option
def worker(config_path: str) -> None:
    """分布式扫描的工作进程：等待主扫描发布扫描，加入后分担爬取与检查，结果写入共享数据库，扫描结束后等待下一次。

    主扫描是配置了 crawl.redis_url 的 govwatch scan（或 serve 的定时扫描）；各台机器使用同一个配置文件（同一个 Redis 与 PostgreSQL）。

    按 Ctrl+C（或收到 SIGTERM）停止：未入库的请求交还队列，由其他进程完成，退出码 130/143；配置、数据库或 Redis 出错时退出码 2。
    """
    from govwatch.service import StopRequest, run_worker

    config = load_config(config_path)
    stop = StopRequest()

    def left(part: WorkerPart) -> None:
        if part.error:
            click.echo(f"第 {part.scan_id} 次扫描：本机爬取进程异常退出，未完成的请求已交还队列：{part.error}", err=True)
        click.echo(f"第 {part.scan_id} 次扫描：本机检查页面 {part.stats.pages} 个，链接 {part.stats.links_checked} 个，"
                   f"未能检查 {part.stats.pages_failed} 项。等待下一次扫描……")

    click.echo("工作进程已启动，等待扫描……")
    try:
        with stop_on_signals(stop):
            run_worker(config, stop, joined=lambda scan_id: click.echo(f"加入第 {scan_id} 次扫描。"), left=left)
    except ScanFailed as exc:
        fail(str(exc))
    click.echo("工作进程已停止。")
    sys.exit(SIGNAL_EXIT.get(stop.reason, 0))


def writable_output(path: str | None) -> Path | None:
    """Check an output file can be written before a long scan, not after it."""
    if path is None:
        return None
    out = Path(path)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        fail(f"无法写入 {path}：目录 {folder} 不存在")
    if out.is_dir() or not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        fail(f"无法写入 {path}：没有写入权限")
    return out


def has_full_scan(config: Config) -> bool:
    store = opened(config)
    try:
        return store.has_full_scan()
    finally:
        store.close()


def scan_now(config: Config, kind: ScanKind | None = None) -> ScanOutcome:
    """Run a scan (a full one unless `kind` says otherwise) with the terminal's signals wired to an
    honest stop; errors become exit code 2."""
    from govwatch.service import FULL, StopRequest, run_scan

    kind = kind or FULL
    stop = StopRequest()
    progress = Progress()
    try:
        with stop_on_signals(stop):
            return run_scan(config, stop=stop, progress=progress, kind=kind)
    except ScanBusy as exc:
        started = f"，开始于 {summary.local_time(exc.started_at, config.timezone)}" if exc.started_at else ""
        fail(f"数据库中已有扫描正在运行：第 {exc.scan_id} 次扫描（{exc.holder}{started}）。"
             "同一数据库同时只能运行一次扫描，请等待其结束。")
    except ScanFailed as exc:
        fail(str(exc))
    finally:
        progress.close()


@contextmanager
def stop_on_signals(stop: StopRequest) -> Iterator[None]:
    """SIGINT and SIGTERM ask the scan to stop instead of killing us mid-write."""
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda signum, _frame: stop.request(signal.Signals(signum).name))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def publish(config: Config, outcome: ScanOutcome, json_path: Path | None) -> list[Finding]:
    """Write the scan's HTML report (and JSON) and say where; returns its findings."""
    from govwatch import publishing

    try:
        published = publishing.publish(config, outcome, json_path)
    except ScanFailed as exc:
        fail(str(exc))
    click.echo(f"报告已写入：{published.report}")
    if json_path:
        click.echo(f"JSON 已写入：{json_path}")
    return published.findings


def print_summary(outcome: ScanOutcome, findings: list[Finding]) -> None:
    from govwatch.service import INCREMENTAL

    stats = outcome.stats
    head = {"finished": "扫描完成", "interrupted": "扫描已中断", "failed": "扫描失败"}[outcome.status]
    if outcome.kind == INCREMENTAL.name:
        head = f"增量{head}"
    click.echo(f"{head}：检查页面 {stats.pages} 个，链接 {stats.links_checked} 个，"
               f"未能检查 {stats.pages_failed} 项，发现问题 {len(findings)} 条。")
    if stats.pages_unchanged:
        click.echo(f"  其中 {stats.pages_unchanged} 个页面重读后未变化，沿用上次的检查结果。")
    for note in summary.scan_notes(outcome.status, outcome.stop_reason, stats.pages, outcome.limits,
                                   outcome.restarts, outcome.quarantined):
        click.echo(f"  {note}")
    for name, count in stats.check_errors.items():
        click.echo(f"  检查项 {name} 出错 {count} 次，详见日志 {outcome.log_path}")
    coverage = summary.coverage_notes(outcome.errors, stats.pages_failed, outcome.truncated, outcome.truncated_count)
    for note in coverage[:COVERAGE_LINES]:
        click.echo(f"  {note}")
    if len(coverage) > COVERAGE_LINES:
        click.echo(f"  ……未能检查或只检查了一部分的页面和附件，共 {stats.pages_failed + outcome.truncated_count} 项，"
                   f"均列在报告和扫描日志中")
    for line in summary.per_site_and_kind(findings):
        click.echo(line)
    unreachable = [s.name for s in outcome.sites if not s.ok]
    if unreachable:
        click.echo(f"无法访问的站点：{'、'.join(unreachable)}")


@main.command()
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出发现的问题。")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="配置文件（用于识别站点、责任单位、词库与超时设置）。")
def check(url: str, as_json: bool, config_path: str | None) -> None:
    """立即检查单个页面（含其链接与附件），不入库。退出码：0 无问题，1 有问题，2 出错。"""
    from crawler.launch import warm_crawl_process

    config = load_config(config_path)
    if problem := url_problem(url):
        fail(f"无效的网址：{url}（{problem}）")
    with warm_crawl_process():  # its imports run beside ours and the word lists'
        from detector.describe import describe_text
        from govwatch.service import check_url

        try:
            outcome = check_url(config, url)
        except ScanFailed as exc:
            fail(f"检查失败：{exc}")
    if not outcome.pages:
        fail(f"无法打开页面 {url}：{outcome.why_unopened()}")
    if as_json:
        click.echo(findings_json.dumps(outcome.findings, page=outcome.page, notes=outcome.notes))
    else:
        for line in describe_text(outcome.page) if outcome.page else []:
            click.echo(summary.printable(line))
        for note in outcome.notes:
            click.echo(note)
        print_findings(outcome.findings)
    sys.exit(1 if outcome.findings else 0)


def print_findings(findings: list[Finding]) -> None:
    if not findings:
        click.echo("未发现问题。")
        return
    click.echo(f"发现问题 {len(findings)} 条：")
    for f in findings:
        click.echo("  " + summary.finding_line(f))


@main.command()
@config_option
def probe(config_path: str) -> None:
    """探测每个站点的首页一次并记录结果，显示近期可用率（值守服务按 schedule.probe_minutes 定时运行）。

    超过 crawl.timeout 秒（默认 15 秒）未响应或 HTTP 状态 ≥ 400 即为失败。退出码：0 全部可访问，1 有站点无法访问，2 出错。
    """
    from govwatch.service import run_probes

    config = load_config(config_path)
    try:
        outcome = run_probes(config)
    except ScanFailed as exc:
        fail(str(exc))
    for result in outcome.results:
        seen = outcome.availability.get(result.site)
        state = "可访问" if result.ok else f"无法访问（{result.reason}）"
        rate = (f"；近 {config.probe.window_days} 天探测 {seen.probes} 次，失败 {seen.failures} 次，"
                f"可用率 {1 - seen.rate:.1%}") if seen else ""
        click.echo(summary.printable(f"{result.site}：{state}，用时 {result.seconds:.2f} 秒{rate}"))
    sys.exit(0 if all(r.ok for r in outcome.results) else 1)


@main.command()
@config_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def assess(config_path: str, as_json: bool) -> None:
    """按《政府网站与政务新媒体检查指标》对每个站点自评估：单项否决项及其依据、可自动测量的扣分项。

    依据最近一次已结束的扫描与首页探测记录；互动回应差依据留言的答复情况估算；办事服务等需人工核查的项目不在其中。
    """
    from govwatch.service import assess_scan

    config = load_config(config_path)
    try:
        scan_id, assessed = assess_scan(config)
    except ScanFailed as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps({"scan": scan_id, "sites": [a.to_json() for a in assessed]}, ensure_ascii=False, indent=2))
        return
    click.echo(f"自评估（依据第 {scan_id} 次扫描，仅含可自动测量的项目）：")
    for a in assessed:
        click.echo(summary.printable(f"{a.site}：{a.verdict}，估算得分 {a.score:g}"))
        for veto in a.vetoes:
            click.echo(summary.printable(f"  单项否决 · {veto.item}：{veto.evidence}"))
        for d in a.deductions:
            click.echo(summary.printable(f"  扣 {d.points:g} 分 · {d.item}：{d.evidence}"))


@main.command()
@config_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000), help="最多列出几次扫描。")
def scans(config_path: str, as_json: bool, limit: int) -> None:
    """列出最近的扫描：编号、类型（增量扫描、转载检查另行标出）、状态、起止时间、页面数、链接数、问题数与出错原因。"""
    config = load_config(config_path)
    store = opened(config)
    try:
        records = store.scans(limit)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps({"scans": [
            {"id": r.id, "status": r.status, "started_at": r.started_at.isoformat(),
             "finished_at": r.finished_at.isoformat() if r.finished_at else None, "pages": r.pages,
             "links_checked": r.links_checked, "findings": r.findings, "error": r.error, "limits": r.limits,
             "kind": r.kind, "restarts": r.restarts, "quarantined": r.quarantined}
            for r in records]}, ensure_ascii=False, indent=2))
        return
    if not records:
        click.echo("还没有扫描记录。")
    for r in records:
        click.echo(summary.scan_line(r, config.timezone))


@main.command()
@config_option
@click.option("--now", "run_now", is_flag=True, help="启动时立即运行一次全站扫描和首页探测，之后按计划运行。")
def serve(config_path: str, run_now: bool) -> None:
    """7×24 值守服务：按计划全站扫描、探测首页、检查转载与整改期限、发送读网值班日报。

    计划保存在数据库中：重启后按原计划继续，不会重复；停止期间到期的全站扫描和日报在启动时补运行一次
    （一小时内），其余未运行的次数记入运行记录。收到 SIGTERM（systemd 停止服务）或 Ctrl+C 时，
    正在进行的扫描如实记为“已中断”，服务在一分钟内退出，退出码 0。
    """
    from govwatch import jobs
    from scheduler import daemon

    config = load_config(config_path)
    store = opened(config)
    abandoned = store.abandon_orphaned_scans()
    specs = jobs.specs(config, str(Path(config_path).resolve()), now=run_now)
    scheduler = daemon.build(store.engine, specs, config.timezone, on_missed=jobs.missed)

    def stop(signum: int, _frame: object) -> None:
        click.echo(f"收到 {signal.Signals(signum).name}，正在停止值守服务……")
        jobs.stop_all(signal.Signals(signum).name)
        scheduler.shutdown(wait=False)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop)
    if abandoned:
        click.echo(f"上次意外终止的 {abandoned} 次扫描已标记为放弃。")
    click.echo(f"值守服务已启动：{'、'.join(job.name for job in specs)}。")
    try:
        scheduler.start()
    finally:
        if not jobs.wait_all(timeout=STOP_SECONDS):
            click.echo(f"仍有任务在 {STOP_SECONDS} 秒后未结束，服务不再等待。", err=True)
        store.close()
    click.echo("值守服务已停止。")


@main.command()
@config_option
def status(config_path: str) -> None:
    """值守服务状态：各项任务的下次与最近运行、最近一次扫描、待整改与逾期工单数。"""
    from scheduler import daemon

    config = load_config(config_path)
    store = opened(config)
    try:
        planned = daemon.next_runs(store.engine)
        runs = store.job_runs()
        scans_ = store.scans(1)
        counts = {s: len(TicketBook(store).list(status=s)) for s in ("open", "reopened", "overdue")}
    finally:
        store.close()
    if not planned:
        click.echo("值守服务尚未启动过（govwatch serve）。")
    for job_id, (name, next_run) in planned.items():
        last = next((r for r in runs if r.job == job_id), None)
        click.echo(summary.printable(summary.job_line(name, next_run, last, config.timezone)))
    if scans_:
        click.echo("最近一次扫描：" + summary.scan_line(scans_[0], config.timezone))
    click.echo(f"工单：待整改 {counts['open'] + counts['reopened']} 张，逾期 {counts['overdue']} 张。")


@main.command()
@config_option
@click.option("--send", is_flag=True, help="通过 SMTP 发送给值班人员和设置了收件人的责任单位。")
@click.option("--out", type=click.Path(file_okay=False), help="把 HTML 与纯文本两个版本写入该目录（默认 digest.dir）。")
def digest(config_path: str, send: bool, out: str | None) -> None:
    """生成读网值班日报：新发现的问题、逾期工单、已整改工单、各站可用率、自评估结论与失败的任务。

    值守服务每天在 digest.time 自动生成并发送；日报总会保存在磁盘上，发送失败也不丢失。
    """
    from govwatch import digests
    from reports.mailer import MailError

    config = load_config(config_path)
    if send and not (config.smtp.host and config.digest.recipients):
        fail("发送日报需要在配置中填写 [smtp] host 与 [digest] recipients")
    try:
        made, (html, text) = digests.make(config, send=send, out=Path(out) if out else None)
    except MailError as exc:
        fail(f"日报发送失败：{exc}")
    except ScanFailed as exc:
        fail(str(exc))
    click.echo(f"{made.subject}")
    click.echo(f"日报已保存：{html}、{text}" + ("，并已发送。" if send else "。"))


@main.group()
def tickets() -> None:
    """整改工单：查看、标记误报、标记已整改（立即复查）、备注、导出（新问题自动生成工单，期限为发现后一个自然日）。"""


def ticket_book(config_path: str) -> tuple[Config, Store]:
    config = load_config(config_path)
    return config, opened(config)


@tickets.command("list")
@config_option
@click.option("--unit", default="", help="只列出该责任单位的工单。")
@click.option("--status", default="", type=click.Choice(["", *TICKET_STATUS_LABELS]), help="只列出该状态的工单。")
@click.option("--site", default="", help="只列出该站点的工单。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def tickets_list(config_path: str, unit: str, status: str, site: str, as_json: bool) -> None:
    """列出整改工单（可按责任单位、状态、站点筛选）。"""
    config, store = ticket_book(config_path)
    try:
        found = TicketBook(store).list(unit=unit, status=status, site=site)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps({"tickets": [t.to_json() for t in found]}, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("没有符合条件的工单。")
    for t in found:
        click.echo(summary.ticket_line(t, config.timezone))


@tickets.command("show")
@click.argument("ticket_id", type=int)
@config_option
def tickets_show(ticket_id: int, config_path: str) -> None:
    """显示一张工单及其全部处理记录。"""
    config, store = ticket_book(config_path)
    try:
        ticket = TicketBook(store).get(ticket_id)
    except TicketError as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo(summary.ticket_line(ticket, config.timezone))
    click.echo(summary.printable(f"  页面：{ticket.title or '（无标题）'}  {ticket.url}"))
    for step in ticket.history:
        by = f"（{step['by']}）" if step["by"] else ""
        click.echo(summary.printable(f"  {summary.local_time(datetime.fromisoformat(step['at']), config.timezone)}"
                                     f"  {TICKET_STEP_LABELS.get(step['status'], step['status'])}：{step['note']}{by}"))


@tickets.command("dismiss")
@click.argument("ticket_id", type=int)
@config_option
@click.option("--reason", required=True, help="误报的理由。")
@click.option("--by", "by", default="", help="标记人。")
def tickets_dismiss(ticket_id: int, config_path: str, reason: str, by: str) -> None:
    """把工单标记为误报：问题关闭，以后扫描不再为它生成工单。"""
    _, store = ticket_book(config_path)
    try:
        ticket = TicketBook(store).dismiss(ticket_id, reason, by, datetime.now(timezone.utc))
    except TicketError as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo(f"工单 {ticket.id} 已标记为误报。")


@tickets.command("fixed")
@click.argument("ticket_id", type=int)
@config_option
@click.option("--note", default="", help="整改说明。")
@click.option("--by", "by", default="", help="标记人。")
def tickets_fixed(ticket_id: int, config_path: str, note: str, by: str) -> None:
    """标记工单已整改：立即按 check 的方式复查该位置，问题已消失才标记为已整改。退出码：0 已整改，1 仍存在，2 出错或无法复查。"""
    from govwatch.rechecks import rechecker
    from storage.users import operator

    config, store = ticket_book(config_path)
    try:
        ticket, outcome = TicketBook(store).mark_fixed(ticket_id, note, operator(by), datetime.now(timezone.utc),
                                                       rechecker(config))
    except TicketError as exc:
        fail(str(exc))
    finally:
        store.close()
    if outcome.found is None:
        fail(f"未能复查，工单状态未变：{outcome.reason}")
    if outcome.found:
        click.echo(f"复查时仍发现该问题，工单 {ticket.id} 未标记为已整改。")
        sys.exit(1)
    click.echo(f"复查未再发现该问题，工单 {ticket.id} 已标记为已整改。")


@tickets.command("comment")
@click.argument("ticket_id", type=int)
@config_option
@click.option("--text", required=True, help="备注内容。")
@click.option("--by", "by", default="", help="备注人。")
def tickets_comment(ticket_id: int, config_path: str, text: str, by: str) -> None:
    """给工单添加备注（记入处理记录，状态不变）。"""
    from storage.users import operator

    _, store = ticket_book(config_path)
    try:
        TicketBook(store).comment(ticket_id, text, operator(by), datetime.now(timezone.utc))
    except TicketError as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo(f"已为工单 {ticket_id} 添加备注。")


@tickets.command("export")
@config_option
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="xlsx", show_default=True,
              help="导出格式。")
@click.option("--out", type=click.Path(dir_okay=False), help="输出文件（默认 tickets-日期.xlsx/csv）。")
def tickets_export(config_path: str, fmt: str, out: str | None) -> None:
    """导出全部工单为 Excel（xlsx）或 CSV 文件。"""
    config, store = ticket_book(config_path)
    try:
        found = TicketBook(store).list()
    finally:
        store.close()
    from reports import tickets_export  # openpyxl: only when exporting

    path = writable_output(out) or Path(f"tickets-{config.today().isoformat()}.{fmt}")
    (tickets_export.write_xlsx if fmt == "xlsx" else tickets_export.write_csv)(path, found, config.timezone)
    click.echo(f"已导出 {len(found)} 张工单：{path}")


@main.group()
def users() -> None:
    """网站控制台的用户：管理员（admin）、读网值班（duty）、责任单位（unit）。"""


@users.command("add")
@click.argument("name")
@config_option
@click.option("--role", required=True, type=click.Choice(["admin", "duty", "unit"]),
              help="角色：admin 管理员（全部功能、用户、审计日志）；duty 读网值班（全部单位，可认定误报）；"
                   "unit 责任单位（只看本单位工单，可标记已整改、申请误报）。")
@click.option("--unit", default="", help="责任单位用户所属的单位（与站点或栏目配置的 unit 相同）。")
@click.option("--password-stdin", "password_stdin", is_flag=True,
              help="从标准输入读取密码（一行）；密码不出现在命令行、日志或输出中。")
def users_add(name: str, config_path: str, role: str, unit: str, password_stdin: bool) -> None:
    """添加控制台用户。密码只能经 --password-stdin 从标准输入提供，例如：

        printf '%s\n' "$PASSWORD" | govwatch users add 张三 --role duty --config govwatch.toml --password-stdin
    """
    from storage.users import UserBook, UserError

    if not password_stdin:
        fail("请用 --password-stdin 从标准输入提供密码（密码不能写在命令行上）")
    password = sys.stdin.readline().rstrip("\r\n")
    _, store = ticket_book(config_path)
    try:
        user = UserBook(store).add(name, role, unit, password, datetime.now(timezone.utc))
    except UserError as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo(f"已添加用户 {user.name}（{ROLE_LABELS[user.role]}{'，' + user.unit if user.unit else ''}）。")


@users.command("list")
@config_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def users_list(config_path: str, as_json: bool) -> None:
    """列出控制台用户（不含密码）。"""
    from storage.users import UserBook

    config, store = ticket_book(config_path)
    try:
        found = UserBook(store).list()
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps({"users": [u.to_json() for u in found]}, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("还没有用户（govwatch users add）。")
    for u in found:
        state = "已停用" if u.disabled else "正常"
        last = summary.local_time(u.last_login_at, config.timezone) if u.last_login_at else "从未登录"
        click.echo(summary.printable(f"{u.name}  {ROLE_LABELS[u.role]}{'（' + u.unit + '）' if u.unit else ''}"
                                     f"  {state}  最近登录：{last}"))


@users.command("disable")
@click.argument("name")
@config_option
def users_disable(name: str, config_path: str) -> None:
    """停用用户：不能再登录，已登录的会话随即失效。"""
    from storage.users import UserBook, UserError

    _, store = ticket_book(config_path)
    try:
        UserBook(store).disable(name)
    except UserError as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo(f"已停用用户 {name}。")


@main.command()
@config_option
@click.option("--host", default=None, help="监听地址（默认 web.host，即 127.0.0.1）。")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="监听端口（默认 web.port，即 8460）。")
def web(config_path: str, host: str | None, port: int | None) -> None:
    """网站控制台：读网值班与责任单位在浏览器中查看和处理工单（waitress 提供服务）。

    用户由 govwatch users add 添加；对外提供时请在前面加一层 HTTPS 反向代理，并设置 web.base_url。
    按 Ctrl+C 或收到 SIGTERM 时退出，退出码 0。
    """
    from govwatch.web.serving import WebError, serve_console

    config = load_config(config_path)
    store = opened(config)
    try:
        serve_console(config, store, host or config.web.host, port or config.web.port,
                      ready=lambda url: click.echo(f"网站控制台已启动：{url}（按 Ctrl+C 退出）"))
    except WebError as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo("网站控制台已停止。")


@main.group()
def review() -> None:
    """疑似错别字的人工审核：确认后生成错误表述工单，驳回后不再报告该文字。"""


@review.command("list")
@config_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def review_list(config_path: str, as_json: bool) -> None:
    """列出待审核的疑似错别字。"""
    config, store = ticket_book(config_path)
    try:
        pending = ReviewBook(store).pending()
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps({"suspected": [{**vars(s), "last_seen": s.last_seen.isoformat()} for s in pending]},
                              ensure_ascii=False, indent=2))
        return
    if not pending:
        click.echo("没有待审核的疑似错别字。")
    for s in pending:
        click.echo(summary.printable(f"#{s.id} “{s.evidence}” {s.suggestion}  {s.site} {s.url}"))
        click.echo(summary.printable(f"    {s.context}"))


@review.command("confirm")
@click.argument("suspect_id", type=int)
@config_option
@click.option("--by", "by", default="", help="审核人。")
def review_confirm(suspect_id: int, config_path: str, by: str) -> None:
    """确认为错别字：生成错误表述工单，以后扫描按错误表述报告该文字。"""
    config, store = ticket_book(config_path)
    try:
        ticket = ReviewBook(store).confirm(suspect_id, by, datetime.now(timezone.utc),
                                           config.tickets.deadline(CONFIRMED))
    except ReviewError as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo(f"已确认为错别字，生成工单 {ticket.id}。")


@review.command("reject")
@click.argument("suspect_id", type=int)
@config_option
@click.option("--reason", required=True, help="不是错别字的理由。")
@click.option("--by", "by", default="", help="审核人。")
def review_reject(suspect_id: int, config_path: str, reason: str, by: str) -> None:
    """驳回：不是错别字，以后扫描不再报告该文字。"""
    _, store = ticket_book(config_path)
    try:
        text = ReviewBook(store).reject(suspect_id, reason, by, datetime.now(timezone.utc))
    except ReviewError as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo(summary.printable(f"已驳回：以后不再报告“{text}”。"))


@main.group()
def db() -> None:
    """数据库维护。"""


@db.command()
@config_option
def upgrade(config_path: str) -> None:
    """把数据库升级到当前版本（govwatch 每次启动时也会自动升级）。"""
    config = load_config(config_path)
    store = opened(config)
    try:
        click.echo(f"数据库已是最新版本：{migrate.current(store.engine)}")
    finally:
        store.close()


@main.command()
@click.option("--keep-serving", is_flag=True, help="扫描后继续提供演示站点，按 Ctrl+C 退出。")
@click.option("--dir", "work_dir", default="govwatch-demo", show_default=True,
              type=click.Path(file_okay=False), help="演示数据库、配置与报告的存放目录。")
def demo(keep_serving: bool, work_dir: str) -> None:
    """演示：在 127.0.0.1 上启动内置的演示政府网站，用 SQLite 扫描，打印问题并生成报告。"""
    from govwatch.demo import DEMO_TODAY, demo_config, serve_demo_estate

    os.environ.setdefault("GOVWATCH_TODAY", DEMO_TODAY)
    with serve_demo_estate() as server:
        config = demo_config(server, Path(work_dir))
        click.echo(f"演示站点已启动：{', '.join(s.url for s in config.sites)}")
        click.echo(f"配置文件：{config.path}（演示站点的日期按 {os.environ['GOVWATCH_TODAY']} 判断）")
        outcome = scan_now(config)
        findings = publish(config, outcome, None)
        print_summary(outcome, findings)
        print_findings(findings)
        if outcome.status != "finished":
            sys.exit(SIGNAL_EXIT.get(outcome.stop_reason, 2))
        if keep_serving:
            stop_console = demo_console(config)
            click.echo("演示站点继续运行中，按 Ctrl+C 退出。")
            try:
                server.wait()
            except KeyboardInterrupt:
                pass
            finally:
                stop_console()


def demo_console(config: Config) -> Callable[[], None]:
    """`demo --keep-serving`: the web console over the demo's database, with printed demo logins."""
    from govwatch.demo import demo_logins
    from govwatch.web.serving import WebError, console_in_background

    store = opened(config)
    try:
        logins = demo_logins(config, store)
        url, stop = console_in_background(config, store, config.web.host, config.web.port)
    except WebError as exc:
        store.close()
        fail(str(exc))
    click.echo(f"网站控制台已启动：{url}")
    for name, label, password in logins:
        click.echo(f"  演示账号（{label}）：用户名 {name}  密码 {password}")

    def close() -> None:
        stop()
        store.close()

    return close
