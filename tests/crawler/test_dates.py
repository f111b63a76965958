"""Dates decide freshness findings, so every form must parse and no look-alike may."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.dates import find_article_date, find_dates, parse_date

TODAY = date(2026, 1, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-11-20", date(2025, 11, 20)),
        ("[2025-11-20]", date(2025, 11, 20)),
        ("【2025-11-20】", date(2025, 11, 20)),
        ("2025年11月20日", date(2025, 11, 20)),
        ("2025 年 1 月 5 日", date(2025, 1, 5)),
        ("2025/11/20", date(2025, 11, 20)),
        ("2025.11.20", date(2025, 11, 20)),
        ("2026-1-5", date(2026, 1, 5)),
        ("２０２５－１１－２０", date(2025, 11, 20)),
        ("２０２５年１１月２０日", date(2025, 11, 20)),
        ("2026-01-02 11:40:11", date(2026, 1, 2)),
        ("2025-07-14 01:59", date(2025, 7, 14)),
        ("2025-07-14T01:59:00+08:00", date(2025, 7, 14)),
        ("2027-03-01", date(2027, 3, 1)),  # next year is still in range (scheduled notices)
        ("1990-01-01", date(1990, 1, 1)),
        # year-less: the latest such day not after today
        ("12-30", date(2025, 12, 30)),
        ("[12-30]", date(2025, 12, 30)),
        ("01-05", date(2026, 1, 5)),
        ("01-06", date(2025, 1, 6)),
        ("11月20日", date(2025, 11, 20)),
        ("1月3日", date(2026, 1, 3)),
        ("02-29", date(2024, 2, 29)),
        # Chinese numerals (落款 of formal documents): 〇, ○, 零 and the typist's O as zero
        ("二〇二五年十一月二十日", date(2025, 11, 20)),
        ("二○一七年六月一日", date(2017, 6, 1)),
        ("二零二五年十二月三十一日", date(2025, 12, 31)),
        ("二O一九年十月十日", date(2019, 10, 10)),
        ("二Ｏ二O年二月二十九日", date(2020, 2, 29)),
        ("二〇二六年一月五日", date(2026, 1, 5)),
        ("二〇二五年 十 月 二十二 日", date(2025, 10, 22)),
        ("（二〇二五年三月十一号）", date(2025, 3, 11)),
        ("二〇二七年三月一日", date(2027, 3, 1)),
    ],
)
def test_parse_date_forms(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30",  # invalid day
        "2025-13-01",
        "1989-12-31",  # before any government website
        "2028-01-01",  # beyond next year
        "000014349/2017-00110",  # 索引号
        "01527918X-2020-153077",
        "20230618-162727-809",
        "国办发〔2017〕47号",  # 文号
        "0831-1234567",  # phone
        "010-12345678",
        "v2019.1.2",  # version
        "1.2.3",
        "12025-11-20",  # inside a longer digit run
        "2025-11-201",
        "2025-11-20-3",
        "2025.11.20.1",
        "1-5",  # bare unpadded ranges are not year-less dates
        "13-01",
        "10-15℃",
        "第10-12条",
        "9:10-11:20",
        "2025年11月",
        "",
        "发布时间",
        "二〇二五年十三月一日",  # no such month
        "二〇二五年二月二十九日",  # not a leap year
        "二〇二五年六月三十二日",
        "一九八九年六月一日",  # before any government website
        "二〇二八年一月一日",  # beyond next year
        "十一月二十日",  # Chinese numerals without a year are prose
        "二〇二五年十一月",
        "一二〇二五年十一月二十日",  # a longer numeral run
    ],
)
def test_non_dates(text: str) -> None:
    assert parse_date(text, TODAY) is None
    assert find_dates(text, TODAY) == []


def test_parse_date_wants_the_whole_string_to_be_a_date() -> None:
    assert parse_date("发布日期：2025-11-20", TODAY) is None
    assert parse_date("2025-11-20 标题", TODAY) is None


def test_find_dates_in_order_deduplicated() -> None:
    text = (
        "发布时间:2025-12-01 索引号：000014349/2017-00110 文号：国办发〔2017〕47号\n"
        "联系电话：0831-1234567 [12-30] 于2025年12月1日召开 2024/3/9 １１月２０日"
    )
    assert find_dates(text, TODAY) == [
        date(2025, 12, 1),
        date(2025, 12, 30),
        date(2024, 3, 9),
        date(2025, 11, 20),
    ]


def test_find_dates_skips_invalid_and_keeps_scanning() -> None:
    assert find_dates("2026-02-30 2025-02-28", TODAY) == [date(2025, 2, 28)]


def test_find_dates_reads_chinese_numeral_dates_among_others() -> None:
    text = "某某县人民政府办公室\n二〇二五年十二月三十一日\n（此件公开发布）\n抄送：2025-12-30 二○一七年六月一日起施行"
    assert find_dates(text, TODAY) == [date(2025, 12, 31), date(2025, 12, 30), date(2017, 6, 1)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布日期：二〇二五年十一月二十日", date(2025, 11, 20)),
        ("成文日期：二○二五年十二月一日", date(2025, 12, 1)),
    ],
)
def test_article_date_in_chinese_numerals(text: str, expected: date) -> None:
    assert find_article_date("某某通知\n" + text + "\n正文第一段。", TODAY) == expected


def test_chinese_numeral_date_on_a_header_line() -> None:
    assert find_article_date("某某通知\n二〇二五年十一月二十日 来源：县政府办\n正文", TODAY) == date(2025, 11, 20)


def test_find_dates_with_chinese_text_glued_on_both_sides() -> None:
    assert find_dates("截至2025年6月30日前完成，截止2025-07-01止", TODAY) == [
        date(2025, 6, 30),
        date(2025, 7, 1),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布时间：2025-01-22 11:40:11", date(2025, 1, 22)),
        ("发布时间:2017-12-01 16:10 来源:南宁市外侨办 作者:秘书科", date(2017, 12, 1)),
        ("来源: 广西壮族自治区人民政府门户网站 2021-09-24 16:37", date(2021, 9, 24)),
        ("2022年12月27日 06:00 来源:国家卫生健康委 浏览量:次", date(2022, 12, 27)),
        ("时间:2022-12-26 点击:", date(2022, 12, 26)),
        ("发布时间:2020-04-13 浏览次数:268", date(2020, 4, 13)),
        ("2024-09-10 17:02 阅读人数:1", date(2024, 9, 10)),
        ("日期：[2025-03-01]", date(2025, 3, 1)),
        ("发布日期\n2019-06-12", date(2019, 6, 12)),  # metadata table cells
    ],
)
def test_article_header_shapes(text: str, expected: date) -> None:
    assert find_article_date("某某通知\n" + text + "\n正文第一段。", TODAY) == expected


def test_publication_label_beats_written_date_and_earlier_dates() -> None:
    text = (
        "索引号：000014349/2019-00110\n成文日期：2019年06月11日\n"
        "会议定于2019年7月1日召开\n发布日期：2019年06月18日"
    )
    assert find_article_date(text, TODAY) == date(2019, 6, 18)


def test_written_date_when_nothing_else() -> None:
    assert find_article_date("发文日期：2020-05-01\n成文日期：2020-04-28", TODAY) == date(2020, 5, 1)
    assert find_article_date("成文日期：2020-04-28\n正文", TODAY) == date(2020, 4, 28)
    # a county's 信息公开 table (seeds/002: 西吉县人民政府办公室): its one date is labelled 生成日期
    table = "索引号 640422001/2018-12666 文号 西政办发〔2018〕47号 生成日期 2018-03-23\n公开方式 主动公开"
    assert find_article_date(table, TODAY) == date(2018, 3, 23)
    assert find_article_date("生成日期：2020-05-02\n成文日期：2020-04-28", TODAY) == date(2020, 5, 2)


def test_event_times_and_body_dates_are_not_publication_dates() -> None:
    text = "关于举办培训的通知\n活动时间：2025-03-01\n报名截止日期：2025-02-20\n请于2025年2月1日前报名。"
    assert find_article_date(text, TODAY) is None


def test_year_less_header_dates_are_not_trusted() -> None:
    assert find_article_date("发布时间：12-30", TODAY) is None
