"""Confusion sets from maintained data: pypinyin's readings, pycorrector's same-stroke groups,
char-similar's four-corner codes, and the few classic pairs both tables lack."""

from __future__ import annotations

import wordlists
from detector.language.confusion import common_chars, confusables, shape_alikes, sound_alikes


def test_each_shape_source_contributes() -> None:
    assert "检" in shape_alikes("验")  # pycorrector's same_stroke.tsv
    assert {"戌", "戍"} <= shape_alikes("戊")  # one four-corner code, strokes within one
    assert "已" in shape_alikes("己")
    assert "氏" in shape_alikes("民")  # shapes_seen.tsv: no table pairs them
    assert "来" in shape_alikes("耒")  # a rare character mistaken for a common one
    assert "耒" not in shape_alikes("来")  # never the other way: slips are into common characters


def test_sound_alikes_share_a_syllable_in_any_tone_among_common_characters() -> None:
    assert {"正", "证", "争"} <= sound_alikes("政")
    assert "长" in sound_alikes("涨", "zhang") and "政" not in sound_alikes("政")
    assert sound_alikes("政") <= set(common_chars())
    assert confusables("政") == sound_alikes("政") | shape_alikes("政")


def test_every_data_file_names_its_source_and_licence() -> None:
    for name in ("same_stroke.tsv", "four_corner.tsv", "shapes_seen.tsv", "formulations.tsv", "traditional.tsv"):
        head = (wordlists.shipped_lists()[0].parent / "language" / name).read_text("utf-8")[:600]
        assert "Source" in head or "Sources" in head, name
        assert "icence" in head, name
    assert len(wordlists.language_data("four_corner.tsv")) == 6763
