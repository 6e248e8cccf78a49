"""Text search over titles and summaries: Chinese substrings, through FTS5 trigram or LIKE.

The same searches run on SQLite (trigram index) and PostgreSQL (ILIKE) and must agree.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from desktop.models import Activity
from desktop.services import Services
from desktop.services.activities import ActivityFilter, ActivityInput, apply_filter


def _add(svc: Services, title: str, summary: str = "") -> int:
    types = {t.code: t.id for t in svc.reference.activity_types()}
    unit = next(u for u in svc.reference.units() if u.name == "县科协")
    return svc.activities.add(
        ActivityInput(
            start_date=date(2024, 5, 18),
            title=title,
            type_id=types["lecture"],
            unit_id=unit.id,
            participants=50,
            summary=summary,
        )
    )


def _titles(svc: Services, text: str) -> list[str]:
    rows = svc.activities.rows(ActivityFilter(text=text), 0, 100, sort="title", descending=False)
    return [r.title for r in rows]


def test_chinese_substrings_found_in_titles_and_summaries(any_plan_services: Services):
    svc = any_plan_services
    _add(svc, "防范电信诈骗科普讲座", "在兴安街道社区开展")
    _add(svc, "老年人智能手机培训", "讲解防范电信诈骗常识")
    _add(svc, "青少年机器人兴趣小组")
    # Three or more characters: the trigram index, in the middle of a title and of a summary.
    assert _titles(svc, "电信诈骗") == ["老年人智能手机培训", "防范电信诈骗科普讲座"]
    assert _titles(svc, "兴安街道") == ["防范电信诈骗科普讲座"]
    assert _titles(svc, "机器人兴趣") == ["青少年机器人兴趣小组"]
    # Two characters (the index's trigrams and text endings) and one (LIKE), still a substring.
    assert _titles(svc, "诈骗") == ["老年人智能手机培训", "防范电信诈骗科普讲座"]
    assert _titles(svc, "少") == ["青少年机器人兴趣小组"]
    assert _titles(svc, "不存在的词") == []
    assert svc.activities.count(ActivityFilter(text="电信诈骗")) == 2  # the index alone counts it
    # With a date range the rows are counted: none of them fall in 2023.
    in_2023 = ActivityFilter(text="电信诈骗", start=date(2023, 1, 1), end=date(2023, 12, 31))
    assert svc.activities.count(in_2023) == 0
    assert svc.activities.totals(ActivityFilter(text="电信诈骗")).participants == 100


def test_index_follows_updates_and_deletes(any_plan_services: Services):
    svc = any_plan_services
    first = _add(svc, "科普大篷车进校园")
    _add(svc, "科普大篷车下乡")
    assert len(_titles(svc, "大篷车")) == 2
    data = ActivityInput.from_activity(svc.activities.get(first))
    data.title = "流动科技馆巡展"
    svc.activities.update(first, data)
    assert _titles(svc, "大篷车") == ["科普大篷车下乡"]
    assert _titles(svc, "科技馆巡展") == ["流动科技馆巡展"]
    deleted = svc.activities.delete(first)
    assert _titles(svc, "科技馆巡展") == []
    svc.activities.restore(deleted)
    assert _titles(svc, "科技馆巡展") == ["流动科技馆巡展"]


def test_quotes_percent_and_latin_text_are_plain_substrings(any_plan_services: Services):
    svc = any_plan_services
    _add(svc, "“科普中国”APP推广", "覆盖率100%达标")
    _add(svc, 'He said "AI" today')
    _add(svc, "覆盖率100达标")
    assert _titles(svc, "100%") == ["“科普中国”APP推广"]
    assert _titles(svc, "%") == ["“科普中国”APP推广"]
    assert _titles(svc, '"AI"') == ['He said "AI" today']
    assert _titles(svc, "app推") == ["“科普中国”APP推广"]  # case-insensitive, like LIKE
    assert _titles(svc, "  科普中国  ") == ["“科普中国”APP推广"]


def test_nul_and_every_special_character_are_searched_as_themselves(any_plan_services: Services):
    """A lone NUL matched every activity and NUL inside text raised a raw OperationalError."""
    svc = any_plan_services
    _add(svc, "科普_讲座 [第1期] (A*B) ^x: 'OR' NEAR/2", "含 \\ 反斜杠与 / 斜杠")
    _add(svc, "科普讲座第2期")
    assert _titles(svc, "\x00") == []
    assert _titles(svc, "\x00\u200b\x07") == []
    assert svc.activities.count(ActivityFilter(text="\x00")) == 0
    assert _titles(svc, "科普\x00讲座") == [
        "科普讲座第2期"
    ]  # as stored text would have been cleaned
    for query in (
        "_",
        "[第1期]",
        "(A*B)",
        "^x:",
        "'OR'",
        "NEAR/2",
        "\\",
        "/ 斜",
        "*",
        "OR'",
        "NEAR",
    ):
        assert _titles(svc, query) == ["科普_讲座 [第1期] (A*B) ^x: 'OR' NEAR/2"], query


def test_sqlite_uses_the_index_and_other_databases_use_like():
    stmt = apply_filter(select(func.count(Activity.id)), ActivityFilter(text="电信诈骗"))
    on_sqlite = str(stmt.compile(dialect=sqlite.dialect()))
    on_postgres = str(stmt.compile(dialect=postgresql.dialect()))
    assert "activity_fts MATCH" in on_sqlite and "LIKE" not in on_sqlite
    assert "ILIKE" in on_postgres and "activity_fts" not in on_postgres
    pair = str(
        apply_filter(select(Activity.id), ActivityFilter(text="诈骗")).compile(
            dialect=sqlite.dialect()
        )
    )
    assert "activity_fts_vocab" in pair and "LIKE" not in pair  # two characters: the index too
    single = str(
        apply_filter(select(Activity.id), ActivityFilter(text="诈")).compile(
            dialect=sqlite.dialect()
        )
    )
    assert "LIKE" in single and "activity_fts" not in single


def test_two_characters_are_found_wherever_they_stand(any_plan_services: Services):
    """At the start, inside, at the end of a text, a text that is only the pair, any case."""
    svc = any_plan_services
    _add(svc, "讲座进社区")  # at the start
    _add(svc, "科普讲座周")  # inside
    _add(svc, "防诈骗讲座")  # at the end of the title
    _add(svc, "讲座")  # the whole title
    _add(svc, "青少年活动", "主题讲座")  # at the end of the summary
    _add(svc, "AI 科普", "介绍 Ai 应用")  # ASCII, either case
    _add(svc, "“讲”“座”分开")  # the two characters apart: not a match
    assert sorted(_titles(svc, "讲座")) == sorted(
        ["讲座进社区", "科普讲座周", "防诈骗讲座", "讲座", "青少年活动"]
    )
    assert _titles(svc, "ai") == ["AI 科普"]
    assert _titles(svc, "座周") == ["科普讲座周"]
    assert _titles(svc, "没有") == []
    assert svc.activities.count(ActivityFilter(text="讲座")) == 5


def test_a_common_words_pages_come_in_date_order_at_both_ends(any_plan_services: Services):
    """Most rows match: the page is read along the date index; the same rows as a sort."""
    svc = any_plan_services
    types = {t.code: t.id for t in svc.reference.activity_types()}
    unit = next(u for u in svc.reference.units() if u.name == "县科协")
    days = [
        date(2024, 3, 9),
        date(2022, 1, 2),
        date(2025, 7, 1),
        date(2023, 5, 5),
        date(2021, 8, 8),
    ]
    for n, day in enumerate(days):
        svc.activities.add(
            ActivityInput(
                start_date=day, title=f"科普讲座第{n}期", type_id=types["lecture"], unit_id=unit.id
            )
        )
    svc.activities.add(
        ActivityInput(
            start_date=date(2024, 1, 1), title="应急演练", type_id=types["lecture"], unit_id=unit.id
        )
    )
    flt = ActivityFilter(text="科普讲座")
    newest = sorted(days, reverse=True)

    def page(offset: int, limit: int, **kw) -> list[date]:
        return [r.start_date for r in svc.activities.rows(flt, offset, limit, **kw)]

    assert page(0, 2) == newest[:2]
    assert page(2, 2) == newest[2:4]
    assert page(0, 2, from_end=True) == newest[-2:]
    assert page(0, 2, descending=False) == newest[::-1][:2]
    assert svc.activities.count(flt) == 5
