"""The `govwatch` command line. Each command's docstring is its --help.

Exit codes: 0 success (for `check`: clean), 1 findings (`check`), 2 errors (bad config, bad URL,
unreachable page, database). Messages are in Chinese; the finding JSON is the machine interface.
"""

from __future__ import annotations

import logging
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import NoReturn

import click

from crawler.plan import CrawlPlan, PlanSite
from crawler.process import CrawlError
from core.urls import netloc
from govwatch import __version__
from core.config import Config, ConfigError, load
from core.model import Finding
from govwatch.progress import Progress
from govwatch.runner import RunResult, build_context, run, today_in
from reports import findings_json, html_report, summary
from storage import Store, StoreError
from storage.store import ScanStats
from wordlists import WordListError


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govwatch")
@click.option("-v", "--verbose", is_flag=True, help="输出调试日志。")
def main(verbose: bool) -> None:
    """govwatch：政府网站 7×24 小时巡检（错敏信息、隐私泄露、涉密标识、暗链、错链断链）。"""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False),
              help="配置文件（TOML）。")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, writable=True),
              help="把本次扫描发现的问题写入 JSON 文件。")
def scan(config_path: str, json_out: str | None) -> None:
    """对配置中的全部站点完整扫描一次：爬取、检查、入库，并按站点和类型汇总。"""
    config = load_config(config_path)
    if not config.sites:
        fail("配置中没有 [[sites]]，无可扫描的站点")
    result = run_scan(config)
    print_summary(result, config)
    if json_out:
        findings_json.write(Path(json_out), result.findings)
        click.echo(f"JSON 已写入：{json_out}")


def run_scan(config: Config) -> RunResult:
    """A full scan of every configured site, stored; used by `scan` and `demo`."""
    plan = CrawlPlan.for_scan(config, today_in(config))
    try:
        ctx = build_context(config, plan)
        store = Store(config.database.url)
    except (StoreError, WordListError, OSError) as exc:
        fail(str(exc))
    scan_id = store.begin_scan(config.sites)
    progress = Progress()
    report_dir = Path(config.report.dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    try:
        result = run(plan, ctx, store=store, scan_id=scan_id, progress=progress,
                     log_path=report_dir / f"scan-{scan_id}.log")
    except KeyboardInterrupt:
        store.finish_scan(scan_id, ScanStats(), error="已中断")
        fail("扫描已中断")
    except Exception as exc:  # the scan is marked failed, never left "running"; the cause is shown
        logging.getLogger(__name__).debug("scan failed", exc_info=True)
        store.finish_scan(scan_id, ScanStats(), error=f"{type(exc).__name__}: {exc}")
        fail(f"扫描失败：{exc}")
    finally:
        progress.close()
    store.finish_scan(scan_id, result.stats)
    report = report_dir / f"scan-{scan_id}.html"
    html_report.write(report, html_report.render(
        result.findings, title=f"政府网站巡检报告（第 {scan_id} 次扫描）", generated=datetime.now(timezone.utc),
        tz=config.timezone, pages=result.stats.pages, links=result.stats.links_checked,
        failed=result.stats.pages_failed))
    click.echo(f"报告已写入：{report}")
    store.close()
    return result


def print_summary(result: RunResult, config: Config) -> None:
    stats = result.stats
    click.echo(f"扫描完成：检查页面 {stats.pages} 个，链接 {stats.links_checked} 个，"
               f"未能检查 {stats.pages_failed} 项，发现问题 {len(result.findings)} 条。")
    for error in result.errors[:5]:
        click.echo(summary.printable(f"  未能检查：{error['url']}：{error['message']}"))
    for line in summary.per_site_and_kind(result.findings):
        click.echo(line)
    unreachable = [s.name for s in result.estate.sites if not s.ok]
    if unreachable:
        click.echo(f"无法访问的站点：{'、'.join(unreachable)}")


@main.command()
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出发现的问题。")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="配置文件（用于识别站点、责任单位、词库与超时设置）。")
def check(url: str, as_json: bool, config_path: str | None) -> None:
    """立即检查单个页面（含其链接与附件），不入库。退出码：0 无问题，1 有问题，2 出错。"""
    config = load_config(config_path)
    if not url.startswith(("http://", "https://")) or not netloc(url):
        fail(f"无效的网址：{url}（应以 http:// 或 https:// 开头）")
    plan = check_plan(config, url)
    try:
        result = run(plan, build_context(config, plan))
    except (CrawlError, WordListError, OSError) as exc:
        fail(f"检查失败：{exc}")
    if not result.pages:
        status = result.estate.links.get(url)
        fail(f"无法打开页面 {url}：{status.reason if status else '未知原因'}")
    if as_json:
        click.echo(findings_json.dumps(result.findings))
    else:
        print_findings(result.findings)
    sys.exit(1 if result.findings else 0)


def check_plan(config: Config, url: str) -> CrawlPlan:
    """One page: its own configured site when there is one, else a site named after its host."""
    sites = [PlanSite(s.name, s.url, s.unit) for s in config.sites]
    if not any(s.netloc == netloc(url) for s in sites):
        sites.append(PlanSite(netloc(url), url))
    return CrawlPlan(sites, config.crawl, today_in(config), check_url=url)


def print_findings(findings: list[Finding]) -> None:
    if not findings:
        click.echo("未发现问题。")
        return
    click.echo(f"发现问题 {len(findings)} 条：")
    for f in findings:
        click.echo("  " + summary.finding_line(f))


@main.command()
@click.option("--keep-serving", is_flag=True, help="扫描后继续提供演示站点，按 Ctrl+C 退出。")
@click.option("--dir", "work_dir", default="govwatch-demo", show_default=True,
              type=click.Path(file_okay=False), help="演示数据库、配置与报告的存放目录。")
def demo(keep_serving: bool, work_dir: str) -> None:
    """演示：在 127.0.0.1 上启动内置的演示政府网站，用 SQLite 扫描，打印问题并生成报告。"""
    from govwatch.demo import demo_config, serve_demo_estate

    with serve_demo_estate() as server:
        config = demo_config(server, Path(work_dir))
        click.echo(f"演示站点已启动：{', '.join(s.url for s in config.sites)}")
        click.echo(f"配置文件：{config.path}")
        result = run_scan(config)
        print_summary(result, config)
        print_findings(result.findings)
        if keep_serving:
            click.echo("演示站点继续运行中，按 Ctrl+C 退出。")
            try:
                server.wait()
            except KeyboardInterrupt:
                pass
