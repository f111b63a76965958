"""The precision corpus: real government prose, each document with the date it was published.

Nothing fetched from a public repository is committed here: prose-manifest.toml names each document
(repository, commit, path, date, title, size) and this module materialises the texts from the local
git mirrors (`git show commit:path`; under /work/.mirror/<owner>+<name>/repo, env GOVWATCH_MIRROR_DIR)
into a cache folder outside the repository, by default /work/wt/prose-corpus (env GOVWATCH_PROSE_DIR),
with a README listing the files and their dates. A document whose mirror is absent is skipped, saying so.

    python -m bench.language.prose            # materialise the cache (skips documents it already has)
    python -m bench.language.prose select     # rebuild the manifest from the mirrors (the selection rule)

Sources: the State Council's government work reports 1998-2022 as collected in chengjun/mybook
(data/gov_reports1954-2022.txt, one report a line, paragraphs tab-separated; each dated by the opening
of its NPC session), and laws, administrative regulations, departmental rules and provincial and
municipal local regulations of 2015-2026 from LawRefBook/Laws (one Markdown file per version, dated by
the version's date in its file name).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).parent
MANIFEST = HERE / "prose-manifest.toml"
DEFAULT_DIR = Path("/work/wt/prose-corpus")
MIRRORS = Path(os.environ.get("GOVWATCH_MIRROR_DIR", "/work/.mirror"))

REPORTS = ("chengjun/mybook", "data/gov_reports1954-2022.txt")
REPORT_YEARS = range(1998, 2023)
NPC_OPENING = {2020: "05-22"}  # every other session since 1998 opened on 5 March
LAWS = "LawRefBook/Laws"
LAW_FOLDERS = ("行政法规/", "部门规章/", "行政法/", "经济法/", "社会法/", "民法商法/", "宪法相关法/", "DLC/")
LAW_YEARS = (2015, 2026)
LAW_BYTES = 3_700_000  # regulations taken (by sha1 of path) until their text reaches this size
DATED = re.compile(r"\((\d{4}-\d{2}-\d{2})\)\.md$")


@dataclass(frozen=True)
class Document:
    repo: str
    commit: str
    path: str
    date: date
    title: str
    size: int  # bytes of the extracted UTF-8 text
    part: str = ""  # for a file holding several documents: which one (report year)

    @property
    def filename(self) -> str:
        safe = re.sub(r"[\\/:*?\"<>|\s]+", "_", self.title)[:60]
        return f"{self.date.isoformat()}_{safe}.txt"


def prose_dir() -> Path:
    return Path(os.environ.get("GOVWATCH_PROSE_DIR", DEFAULT_DIR))


def mirror(repo: str) -> Path:
    return MIRRORS / repo.replace("/", "+") / "repo"


def git(repo: str, *args: str) -> bytes:
    return subprocess.run(["git", "--git-dir", str(mirror(repo)), *args], check=True,
                          capture_output=True).stdout


def extract(doc: Document, raw: bytes) -> str:
    """The plain text of one document from its file's bytes."""
    text = raw.decode("utf-8")
    if doc.part:
        for line in text.splitlines():
            year, _, body = line.partition("\t")
            if year == doc.part:
                return "\n".join(p.strip(" \u3000") for p in body.split("\t") if p.strip(" \u3000"))
        raise KeyError(f"{doc.path} has no line {doc.part}")
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line == "<!-- INFO END -->":
            continue
        lines.append(line.lstrip("#").strip())
    return "\n".join(lines)


def load_manifest(path: Path = MANIFEST) -> list[Document]:
    with open(path, "rb") as f:
        entries = tomllib.load(f)["document"]
    return [Document(e["repo"], e["commit"], e["path"], e["date"], e["title"], e["size"], e.get("part", ""))
            for e in entries]


def materialise(target: Path | None = None) -> tuple[Path, list[Document], list[str]]:
    """Write every document of the manifest whose mirror is present into `target`; returns the folder,
    the documents written or already there, and a message per repository or document skipped."""
    target = target or prose_dir()
    target.mkdir(parents=True, exist_ok=True)
    done, skipped = [], []
    absent: Counter[str] = Counter()
    for doc in load_manifest():
        out = target / doc.filename
        if out.exists():
            done.append(doc)
            continue
        if not mirror(doc.repo).exists():
            absent[doc.repo] += 1
            continue
        try:
            raw = git(doc.repo, "show", f"{doc.commit}:{doc.path}")
        except subprocess.CalledProcessError as exc:
            skipped.append(f"{doc.title}: git show {doc.commit[:10]}:{doc.path} failed: "
                           f"{exc.stderr.decode(errors='replace').strip()}")
            continue
        out.write_text(extract(doc, raw) + "\n", encoding="utf-8")
        done.append(doc)
    skipped += [f"{n} documents of {repo}: no mirror at {mirror(repo)} (fetch github:{repo})"
                for repo, n in absent.items()]
    _write_readme(target, done)
    return target, done, skipped


def corpus(target: Path | None = None) -> list[tuple[Document, str]]:
    """The materialised documents with their texts (materialising what is missing first)."""
    folder, docs, skipped = materialise(target)
    for message in skipped:
        print(f"skipped {message}", file=sys.stderr)
    return [(doc, (folder / doc.filename).read_text(encoding="utf-8")) for doc in docs]


def _write_readme(target: Path, docs: list[Document]) -> None:
    total = sum(d.size for d in docs)
    lines = [
        "# govwatch precision corpus (issue 20)",
        "",
        "Real government prose, each document with the date it was published, materialised by",
        "`python -m bench.language.prose` from public git repositories (see bench/language/prose-manifest.toml",
        "in the govwatch repository for repository, commit and path). Not part of govwatch; do not commit.",
        "Provincial and municipal government work reports were not found in a public repository; provincial",
        "prose comes from local regulations.",
        "",
        f"{len(docs)} documents, {total / 1e6:.2f} MB of UTF-8 text.",
        "",
        "| file | date | title | source |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {d.filename} | {d.date} | {d.title} | {d.repo}:{d.path}{'#' + d.part if d.part else ''} |"
              for d in sorted(docs, key=lambda d: (d.date, d.title))]
    (target / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def select() -> list[Document]:
    """The selection rule that produced the manifest, rerun against the mirrors' current snapshots."""
    docs = []
    repo, path = REPORTS
    commit = git(repo, "rev-parse", "HEAD").decode().strip()
    raw = git(repo, "show", f"{commit}:{path}")
    for year in REPORT_YEARS:
        probe = Document(repo, commit, path, date.fromisoformat(f"{year}-{NPC_OPENING.get(year, '03-05')}"),
                         f"{year}年国务院政府工作报告", 0, str(year))
        docs.append(_sized(probe, extract(probe, raw)))
    commit = git(LAWS, "rev-parse", "HEAD").decode().strip()
    names = git(LAWS, "-c", "core.quotepath=off", "ls-tree", "-r", "--name-only", commit).decode().splitlines()
    candidates = []
    for name in names:
        found = DATED.search(name)
        if not (found and name.startswith(LAW_FOLDERS)):
            continue
        when = date.fromisoformat(found.group(1))
        if LAW_YEARS[0] <= when.year <= LAW_YEARS[1]:
            candidates.append((hashlib.sha1(name.encode()).hexdigest(), name, when))
    taken = 0
    for _, name, when in sorted(candidates):
        title = Path(name).name.rsplit("(", 1)[0]
        probe = Document(LAWS, commit, name, when, title, 0)
        text = extract(probe, git(LAWS, "show", f"{commit}:{name}"))
        if len(text) < 1000:
            continue
        docs.append(_sized(probe, text))
        taken += docs[-1].size
        if taken >= LAW_BYTES:
            break
    return docs


def _sized(doc: Document, text: str) -> Document:
    return Document(doc.repo, doc.commit, doc.path, doc.date, doc.title,
                    len((text + "\n").encode("utf-8")), doc.part)


def write_manifest(docs: list[Document], path: Path = MANIFEST) -> None:
    out = [
        "# govwatch precision corpus (issue 20): which documents, from which public repository and commit.",
        "# The texts are not committed; `python -m bench.language.prose` materialises them from the local git",
        "# mirrors into GOVWATCH_PROSE_DIR (default /work/wt/prose-corpus). `date` is the day the document was",
        "# published (a work report: the opening of its NPC session; a regulation: the date of that version),",
        "# the day each is judged at. `size` is the bytes of the extracted text. Sources and licences:",
        "# chengjun/mybook (State Council work reports 1998-2022) and LawRefBook/Laws (laws and regulations):",
        "# official documents of state organs, outside copyright under art. 5 of the PRC Copyright Law; only",
        "# their coordinates are committed. Regenerate with `python -m bench.language.prose select`.",
        "",
    ]
    for d in docs:
        out.append("[[document]]")
        out.append(f"repo = {json.dumps(d.repo)}")
        out.append(f"commit = {json.dumps(d.commit)}")
        out.append(f"path = {json.dumps(d.path, ensure_ascii=False)}")
        if d.part:
            out.append(f"part = {json.dumps(d.part)}")
        out.append(f"date = {d.date.isoformat()}")
        out.append(f"title = {json.dumps(d.title, ensure_ascii=False)}")
        out.append(f"size = {d.size}")
        out.append("")
    path.write_text("\n".join(out), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.language.prose", description=__doc__.split("\n")[0])
    parser.add_argument("command", nargs="?", choices=("materialise", "select"), default="materialise")
    args = parser.parse_args(argv)
    if args.command == "select":
        docs = select()
        write_manifest(docs)
        print(f"{MANIFEST}: {len(docs)} documents, {sum(d.size for d in docs) / 1e6:.2f} MB")
        return
    folder, docs, skipped = materialise()
    for message in skipped:
        print(f"skipped {message}")
    print(f"{folder}: {len(docs)} documents, {sum(d.size for d in docs) / 1e6:.2f} MB"
          + ("; some skipped (see above)" if skipped else ""))


if __name__ == "__main__":
    main()
