"""What the detector reports in laws and regulations in force: issue 20's precision, on more text than
the precision corpus. Every regulation that `bench.language.attested` reads from LawRefBook/Laws (none
of the precision corpus: 18 million characters), each judged as a scan judges a page, at the date its
file name gives, or as an undated page (no dated entry judged) when it gives none.

Laws are correct official writing but not spotless (签定, 循私舞弊 and a misspelt 中华人民共和国 are in
them), so this is a list to review, not a figure that must be zero: the word findings grouped by what
was found, with one excerpt each. A wrong one is a rule or an entry to mend; the statistical rule's
suspicions are only counted, as its attested list (wordlists/language/attested.tsv) comes from this
same text.

    .venv/bin/python -m bench.language.laws   # needs the LawRefBook/Laws mirror (bench/language/prose.py)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from core.model import Finding

from .attested import laws
from .evaluate import WORD_KINDS, build_matcher, findings, rule_of


def main() -> None:
    matcher, _ = build_matcher()
    today = date.today()
    kinds: Counter[str] = Counter()
    groups: dict[tuple[str, str, str, str], list[tuple[str, Finding]]] = defaultdict(list)
    documents = chars = undated = 0
    for law in laws():
        documents += 1
        chars += len(law.text)
        undated += law.published is None
        for finding in findings(matcher, law.text, law.published, today):
            if finding.kind in WORD_KINDS:
                kinds[finding.kind] += 1
                if finding.kind != "suspected_typo":
                    key = (finding.kind, finding.evidence, finding.suggestion, rule_of(finding))
                    groups[key].append((law.path.rsplit("/", 1)[-1], finding))
    print(f"## Word findings in laws and regulations in force ({today})\n")
    print(f"{documents:,} documents ({undated:,} undated), {chars / 1e6:.1f} million characters: "
          + ", ".join(f"{kind} {kinds[kind]}" for kind in WORD_KINDS) + ".\n")
    print("| kind | found | suggestion | rule | times | documents | one of them |")
    print("|---|---|---|---|---:|---:|---|")
    for (kind, evidence, suggestion, rule), found in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        name, first = found[0]
        excerpt = first.context.replace("|", "｜").replace("\n", " ")[:60]
        print(f"| {kind} | {evidence} | {suggestion} | {rule} | {len(found)} | {len({n for n, _ in found})} "
              f"| {name[:30]}: {excerpt} |")


if __name__ == "__main__":
    main()
