"""Run one command and measure it the way a user pays for it: wall time, CPU, peak memory.

Memory is the resident set summed over the command's whole process tree (govwatch's parent, its
crawl process and their helpers), sampled every 50 ms; the peak of that sum is what the machine
must have. A child caught between fork and exec still shows its parent's pages: a process with its
parent's command line counts only from its second sample on, when it is a forked worker.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.05


@dataclass
class Measured:
    returncode: int
    seconds: float
    cpu_seconds: float  # user + system over the whole tree
    other_cpu_seconds: float  # used meanwhile by all other processes: other work skews the figures
    peak_rss: int  # bytes, the largest sum over the tree at one sample
    # Per role (label): the peak of its processes' summed RSS, how many ran at once at most, and
    # their CPU seconds as last sampled (up to 50 ms short for processes that exit).
    peak_by_process: dict[str, int] = field(default_factory=dict)
    processes: dict[str, int] = field(default_factory=dict)
    cpu_by_process: dict[str, float] = field(default_factory=dict)
    stdout: str = ""
    stderr: str = ""


def run(command: list[str], workdir: Path, timeout: float, env: dict[str, str] | None = None) -> Measured:
    """Run `command` in `workdir` (its output kept in files there), `env` added, and measure it."""
    before, machine_before, own_before = _children_cpu(), _machine_busy(), _own_cpu()
    out_path, err_path = workdir / "stdout.txt", workdir / "stderr.txt"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=workdir, env={**os.environ, **(env or {})},
                                 stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        tree = _Tree(psutil.Process(child.pid))
        try:
            while child.poll() is None:
                if time.perf_counter() - start > timeout:
                    raise TimeoutError(f"{command[0]} ran over {timeout:.0f} s")
                tree.sample()
                time.sleep(SAMPLE_SECONDS)
        finally:
            if child.poll() is None:
                tree.kill()
                child.wait()
        seconds = time.perf_counter() - start
    tree_cpu = _children_cpu() - before
    others = _machine_busy() - machine_before - tree_cpu - (_own_cpu() - own_before)
    return Measured(child.returncode, seconds, tree_cpu, max(others, 0.0), tree.peak_total, tree.peaks,
                    tree.counts, tree.cpu_by_label(),
                    out_path.read_text(encoding="utf-8", errors="replace"),
                    err_path.read_text(encoding="utf-8", errors="replace"))


class _Tree:
    """The peaks and CPU seen so far in the process tree under `root`, sample by sample."""

    def __init__(self, root: psutil.Process) -> None:
        self.root = root
        self.peak_total = 0
        self.peaks: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        self.labels: dict[int, str] = {}  # by pid, the last seen: an exiting process has no command line
        self.cpu: dict[int, tuple[str, float]] = {}
        self.forked: set[int] = set()  # pids seen once with their parent's command line

    def processes(self) -> list[psutil.Process]:
        try:
            return [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return []

    def sample(self) -> None:
        seen = []
        for proc in self.processes():
            try:
                with proc.oneshot():
                    times = proc.cpu_times()
                    seen.append((proc.pid, proc.ppid(), proc.cmdline(), proc.name(), proc.memory_info().rss,
                                 times.user + times.system))
            except psutil.Error:
                continue
        command_lines = {pid: args for pid, _, args, _, _, _ in seen}
        rss_by_label: Counter[str] = Counter()
        members: Counter[str] = Counter()
        for pid, ppid, args, name, rss, cpu in seen:
            label = self._label(pid, args, name)
            self.cpu[pid] = (label, cpu)
            if args and command_lines.get(ppid) == args and pid not in self.forked:
                self.forked.add(pid)
                continue  # maybe about to exec: its pages are still its parent's
            rss_by_label[label] += rss
            members[label] += 1
        for label, rss in rss_by_label.items():
            self.peaks[label] = max(self.peaks.get(label, 0), rss)
            self.counts[label] = max(self.counts.get(label, 0), members[label])
        self.peak_total = max(self.peak_total, sum(rss_by_label.values()))

    def _label(self, pid: int, args: list[str], name: str) -> str:
        """A short role name: the module a Python process runs, else its program.

        multiprocessing's helpers run `python -c "from multiprocessing.forkserver import main; …"`.
        """
        if not args:
            return self.labels.get(pid, name)
        if "-m" in args[:-1]:
            label = args[args.index("-m") + 1]
        elif "-c" in args[:-1]:
            code = args[args.index("-c") + 1]
            label = next((role for role in ("forkserver", "resource_tracker") if role in code), "python -c")
        else:
            interpreted = len(args) > 1 and re.search(r"python[\d.]*$", args[0])
            label = Path(args[1] if interpreted else args[0]).name
        self.labels[pid] = label
        return label

    def cpu_by_label(self) -> dict[str, float]:
        total: dict[str, float] = {}
        for label, seconds in self.cpu.values():
            total[label] = total.get(label, 0.0) + seconds
        return total

    def kill(self) -> None:
        for proc in reversed(self.processes()):
            try:
                proc.kill()
            except psutil.Error:
                pass


def _machine_busy() -> float:
    """CPU seconds the whole machine has been busy since boot, over all cores (Linux fields)."""
    t = psutil.cpu_times()
    return float(t.user + t.nice + t.system + t.irq + t.softirq + t.steal)


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _children_cpu() -> float:
    """CPU seconds of every waited-for descendant so far: exact, unlike sampling."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
