"""A second held-out measure: spelling errors in official documents from ECSpell (domain `odw`).

ECSpell (Lv et al., 2023, "General and Domain-adaptive Chinese Spelling Check with Error-consistent
Pre-training"; github.com/aopolin-lv/ECSpell, commit 025bf43, MIT licence: LICENSE here) holds
sentences of official document writing (公文写作: State Council and provincial documents,
regulations), each beside its corrected form; most errors are an input method's (a word typed by its
sound: 完善 → 晚上, 机制 → 机智) or a look-alike character. Nothing in the project was written from
it. Its own split is kept: odw-train.tsv (1,719 sentences) is the tuning half, odw-test.tsv (500) the
test half; only sentences whose two forms have the same length are kept (one is not).

An error is one character the corrected form changes; it is caught when a word finding covers it.
A sentence the corrected form leaves unchanged, and every corrected form, must draw no word finding.
The documents are undated, so each is judged at `JUDGED_AT`, before the 2018 reform of the State
Council: the organs they name (国家卫生计生委, 工商总局) were current when most were written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from detector.words import WordMatcher

from ..evaluate import WORD_KINDS, findings, overlaps, rule_of

HERE = Path(__file__).parent
HALVES = {"tuning": HERE / "odw-train.tsv", "test": HERE / "odw-test.tsv"}
JUDGED_AT = date(2018, 3, 1)


@dataclass(frozen=True)
class Sentence:
    erroneous: str
    corrected: str

    @property
    def errors(self) -> list[int]:
        return [i for i, (a, b) in enumerate(zip(self.erroneous, self.corrected)) if a != b]


def load(half: str) -> list[Sentence]:
    sentences = []
    for line in HALVES[half].read_text(encoding="utf-8").splitlines():
        erroneous, corrected = line.split("\t")
        sentences.append(Sentence(erroneous, corrected))
    return sentences


@dataclass
class Result:
    errors: int = 0
    caught: int = 0
    sentences_with_errors: int = 0
    sentences_caught: int = 0  # at least one of its errors caught
    flagged: list[tuple[str, list[str]]] = field(default_factory=list)  # corrected sentences drawing a word finding
    missed: list[tuple[str, str]] = field(default_factory=list)  # (erroneous, corrected) excerpts around missed errors
    rules: Counter[str] = field(default_factory=Counter)


def measure(matcher: WordMatcher, sentences: list[Sentence]) -> Result:
    result = Result()
    for sentence in sentences:
        errors = sentence.errors
        if errors:
            result.sentences_with_errors += 1
            word = [f for f in findings(matcher, sentence.erroneous, JUDGED_AT) if f.kind in WORD_KINDS]
            caught_here = 0
            for at in errors:
                hits = [f for f in word if overlaps(f, sentence.erroneous, (at, at + 1))]
                if hits:
                    caught_here += 1
                    result.rules[rule_of(hits[0])] += 1
                else:
                    window = slice(max(0, at - 4), at + 5)
                    result.missed.append((sentence.erroneous[window], sentence.corrected[window]))
            result.errors += len(errors)
            result.caught += caught_here
            result.sentences_caught += caught_here > 0
        flags = [f for f in findings(matcher, sentence.corrected, JUDGED_AT) if f.kind in WORD_KINDS]
        if flags:
            result.flagged.append((sentence.corrected, [f"{f.kind}[{rule_of(f)}]:{f.evidence}" for f in flags]))
    return result
