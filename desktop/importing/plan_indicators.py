"""Quantified targets of a plan: the literacy figure and every other indicator.

Plans state their goals as numbers in running text ("公民具备科学素质的比例
达到15%", "每年举办科普讲座10场以上，培训农民2万人次"). Each number printed
with a unit becomes a proposed IndicatorDoc quoting its sentence: a name cut
from the clause before it, how it is measured (count, level, percent), over
which span (per year, for the period, at its end) and, where the activity
ledger can count it, a derivation Rule. The literacy rate is read first and
kept apart, as the plan's own goal (and the bound of its last year).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from desktop.importing.plan_structure import Passage
from desktop.numbers import Number, Quantity, QuantityMatch, find_quantities
from desktop.plan.document import IndicatorDoc, Rule

LITERACY_NAME = "公民具备科学素质的比例"
_LITERACY_RE = re.compile(
    r"具备(?:基本)?科学素质的?(?:公民)?(?:的)?比例|公民(?:具备|具有)?科学素质的?(?:比例|水平)"
)
_RISE_RE = re.compile(r"(?:提高|提升|增长|增加|上升)(?:到|至)")
_SENTENCE_RE = re.compile(r"[^。；！？]+[。；！？]?")
_STRUCTURAL_RE = re.compile(r"^(?:提升行动|重点工程|重点工作|重点任务|行动|工程|任务|措施|原则)")
_RATE_RE = re.compile(r"(覆盖率|普及率|参与率|开放率|知晓率|达标率|合格率|比例|比率|占比)$")
_TIME_PREFIX_RE = re.compile(
    r"^(?:“?十[三四五六]五”?(?:期间|期末|末|时期)?|到\d{4}年(?:底|末)?|至\d{4}年|\d{4}年(?:底|末)?"
    r"|每年|每学期|五年(?:内|来)?(?:累计)?|累计|力争|争取|确保|基本|实现|要)[，,]?"
)
_FILLER_RE = re.compile(r"每年|每学期|每季度|至少|力争|争取")
_TRAILING_COMPARATOR_RE = re.compile(
    r"(?:应|要)?(?:(?:提高|提升|增加|增长|上升)(?:到|至)|达到|达|不少于|不低于|超过|不超过|控制在|共)?$"
)
# Verbs that take the counted object: "配备10辆科普大篷车", "新建…5个".
_OBJECT_VERBS = "配备|配置|创建|培育|建设|建成|举办|开展|组织|安排|召开|培训|轮训|培养|完成|拥有|设立|明确|新建|参加|认定"
# "配备10辆…和配置2套…": the second target's clause starts after 和.
_AND_VERB_RE = re.compile(rf"[和及并](?={_OBJECT_VERBS})")
_FLOW_VERBS = re.compile(r"培训|培育|轮训|培养|举办|开展|组织|召开|安排|参加|创建|新建|认定")
_ORGANISE_RE = re.compile(r"举办|开展|组织|安排|召开")
_TRAIN_RE = re.compile(r"培训|轮训")
_PERSON_UNITS = ("人", "名")
_STOCK_UNITS = ("个", "所", "家", "座", "处", "辆", "套", "门", "支")

# Activity type codes (SCHEMA.md) by the words that name them in a target.
_ACTIVITY_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("training", "培训|轮训|研修|培养"),
    ("lecture", "讲座|报告会|讲堂"),
    ("contest", "竞赛|大赛"),
    ("exhibition", "展览|展示|展演"),
    ("emergency", "演练|应急"),
    ("study_tour", "研学"),
    ("sci_day", "科普日"),
    ("sci_week", "科技活动周|科技周"),
    ("three_rural", "三下乡"),
    ("volunteer", "志愿服务"),
)


@dataclass
class Literacy:
    """The literacy rate the plan starts from and aims at, and the sentences that say so."""

    target: Number | None = None
    baseline: Number | None = None
    baseline_year: int | None = None
    quote: str | None = None
    target_years: list[int] = field(default_factory=list)
    spans: set[tuple[int, str]] = field(default_factory=set)  # (passage id, sentence)


def _sentences(text: str) -> Iterator[str]:
    for match in _SENTENCE_RE.finditer(text):
        sentence = match.group(0).strip()
        if sentence:
            yield sentence


def _quote(sentence: str) -> str:
    return sentence.rstrip("。；！？;!?")


def _sentence_year(sentence: str) -> int | None:
    match = re.search(r"(\d{4})年", sentence)
    return int(match.group(1)) if match else None


def read_literacy(passages: list[Passage], first_year: int | None) -> Literacy:
    """Literacy target and baseline from "公民具备科学素质的比例达到17.5%" sentences.

    A sentence dated before the plan's first year gives the baseline; the
    first other one gives the target (later years, as 到2035年, are
    recorded only to bound the plan's last year).
    """
    found = Literacy()
    for pid, passage in enumerate(passages):
        for sentence in _sentences(passage.text):
            if not _LITERACY_RE.search(sentence):
                continue
            percents = [q for q in find_quantities(sentence) if q.quantity.unit == "%"]
            if not percents:
                continue
            found.spans.add((pid, sentence))
            year = _sentence_year(sentence)
            value = percents[0].quantity.value
            rise = _RISE_RE.search(sentence)
            if (
                rise
                and found.target is None
                and percents[0].start < rise.start() < percents[-1].start
            ):
                # "由2020年的8.5%提高到2025年的12%": baseline, then target
                found.target, found.quote = percents[-1].quantity.value, _quote(sentence)
                found.baseline = value
                found.baseline_year = year if year is not None and year != first_year else None
                found.target_years.extend(
                    int(y) for y in re.findall(r"(\d{4})年", sentence[rise.start() :])
                )
            elif year is not None and first_year is not None and year < first_year:
                found.baseline, found.baseline_year = value, year
            elif found.target is None:
                found.target, found.quote = value, _quote(sentence)
                if year is not None:
                    found.target_years.append(year)
            elif year is not None:
                found.target_years.append(year)
    return found


def _is_literacy_figure(sentence: str, match: QuantityMatch) -> bool:
    """Whether a percent in a literacy sentence is the literacy figure itself.

    In "…具备科学素质的比例超过13%，力争达到15%，城乡差距控制在3个百分点以内"
    both percents are the literacy target; the gap is a target of its own,
    as is any other rate named in its clause ("…达标率达到90%").
    """
    if match.quantity.unit != "%":
        return False
    clause = _local_clause(sentence, match)
    return bool(_LITERACY_RE.search(clause)) or not re.search(r"率|比例|比重|占比|水平", clause)


def _blank_titles(text: str) -> str:
    """Hide the inside of 《…》 (same length) so cited titles give no targets."""
    return re.sub(r"《[^《》]*》", lambda m: "《" + "□" * (len(m.group(0)) - 2) + "》", text)


# How far around a number a clause or a "每年" is looked for: a real sentence
# is far shorter; a "sentence" of a whole table without punctuation must not
# cost time that grows with the square of its length.
_WINDOW = 400


def _local_clause(sentence: str, match: QuantityMatch) -> str:
    """The clause holding a number, up to it: "…，每年组织2次" → "每年组织"."""
    start = max(0, match.start - _WINDOW)
    return re.split(r"[，,：:]", sentence[start : match.start])[-1]


def _object_after(sentence: str, match: QuantityMatch) -> str:
    """The noun a classifier counts ("10辆科普大篷车" → "科普大篷车"), else ""."""
    rest = sentence[match.end : match.end + _WINDOW]
    if not rest or not re.match(r"[\u4e00-\u9fff“]", rest):
        return ""
    return re.sub(r"^[的为]", "", re.split(r"[，,。；;、和及]", rest)[0])


def _indicator_name(sentence: str, match: QuantityMatch) -> str:
    """A short name: the clause before the number, plus the noun counted after it."""
    clause = _AND_VERB_RE.split(_local_clause(sentence, match))[-1]
    while True:
        trimmed = _TIME_PREFIX_RE.sub("", clause)
        if trimmed == clause:
            break
        clause = trimmed
    clause = _TRAILING_COMPARATOR_RE.sub("", _FILLER_RE.sub("", clause)).strip()
    fallback = sentence[max(0, match.end - _WINDOW) : match.end]
    return (clause + _object_after(sentence, match)).strip() or fallback


def _split_rate_list(name: str) -> list[str]:
    """ "行政村的科技示范户、科技带头人、科普信息员覆盖率" → one name per listed item."""
    match = _RATE_RE.search(name)
    if match is None or "、" not in name:
        return [name]
    rate = match.group(1)
    items = name[: -len(rate)].split("的")[-1].split("、")
    if len(items) < 2 or any(not item or len(item) > 6 for item in items):
        return [name]
    return [f"{item}{rate}" for item in items]


def _measure(quantity: Quantity, clause: str, name: str) -> str:
    if quantity.unit in ("%", "个百分点"):
        return "percent"
    if quantity.unit in _PERSON_UNITS or quantity.unit in _STOCK_UNITS or not quantity.unit:
        return "count" if _FLOW_VERBS.search(clause) and "人数" not in name else "level"
    return "count"


# "每年", "年均", and "年" before what is done in the year ("年浏览量", "年培训").
_ANNUAL_RE = re.compile(
    r"每年|每学年|每学期|每季度|年均|每个?年度|全年"
    r"|(?<![\d〇○零一二三四五六七八九十今明当同])年(?:浏览|访问|点击|阅读|接待|服务|培训|开展|举办|参与|参加)"
)
# Words that give a target its own time frame, so a "每年" earlier in the
# sentence no longer applies: "每年培训…，到2025年累计…".
_OWN_TIME_RE = re.compile(r"\d{4}年|期间|累计|五年|期末|年底|年末|总计|共计")


def _target_mode(measure: str, clause: str) -> str:
    if measure == "percent":
        return "end"
    if _ANNUAL_RE.search(clause):
        return "annual"
    return "end" if measure == "level" else "period"


def _annual_scope(sentence: str, match: QuantityMatch) -> bool:
    """Whether a "每年" earlier in the sentence still holds at this number.

    "每年培训农民2万人次，举办专题讲座10场" holds 10 场 every year as well;
    a clause that names its own time ("到2025年…", "累计…") ends the scope.
    """
    before = sentence[max(0, match.start - _WINDOW) : match.start]
    annuals = list(_ANNUAL_RE.finditer(before))
    return bool(annuals) and not _OWN_TIME_RE.search(before[annuals[-1].end() :])


def _rule(quantity: Quantity, measure: str, clause: str, passage: Passage) -> Rule | None:
    """A derivation rule for targets the activity ledger can count, else None."""
    if measure != "count":
        return None
    types = [code for code, words in _ACTIVITY_TYPE_WORDS if re.search(words, clause)]
    if quantity.unit == "人次" or (quantity.unit in _PERSON_UNITS and _TRAIN_RE.search(clause)):
        metric = "participants"  # people trained are the participants of training
    elif not _ORGANISE_RE.search(clause):
        return None  # "有机会参加1次培训" counts attendance, not events held
    elif quantity.unit in ("次", "场", "场次") and (types or "活动" in clause):
        metric = "activities"
    elif quantity.unit == "期" and (types or re.search(r"班|活动", clause)):
        metric = "sessions"
    else:
        return None
    group, task = passage.target_group, passage.task_code
    return Rule(
        metric=metric,
        activity_types=types,
        target_groups=[group] if group else [],
        tasks=[task] if task is not None else [],
    )


_OWN_PREDICATE_RE = re.compile(r"达到|超过|不少于|不低于|达|保持在|稳定在|提高到|提升到")


def _inherited_verb(previous: tuple[str, str] | None, unit: str, clause: str, gap: str = "") -> str:
    """The verb a listed target shares with the one before it, or "".

    In "创建全国科普教育基地2个，自治区科普教育基地10个" the second base is
    created too: same unit, no verb of its own. Not so in "培训骨干500人，
    到2025年，注册科技志愿者超过3000人": a new time (in `gap`, the text
    since the last target) or a predicate of its own starts a new statement.
    """
    if previous is None or previous[0] != unit or re.search(_OBJECT_VERBS, clause):
        return ""
    if _OWN_TIME_RE.search(gap) or _OWN_PREDICATE_RE.search(clause):
        return ""
    verb = re.match(_OBJECT_VERBS, previous[1])
    return verb.group(0) if verb else ""


def _indicators_from(passage: Passage, pid: int, literacy: Literacy) -> list[IndicatorDoc]:
    found: list[IndicatorDoc] = []
    for sentence in _sentences(passage.text):
        literacy_sentence = (pid, sentence) in literacy.spans
        previous: tuple[str, str] | None = None  # (unit, name) of the last target
        last_end = 0
        for match in find_quantities(_blank_titles(sentence)):
            quantity = match.quantity
            following = sentence[match.end : match.end + 6]
            if quantity.unit == "项" and _STRUCTURAL_RE.match(following):
                continue
            if literacy_sentence and _is_literacy_figure(sentence, match):
                continue
            clause = _local_clause(sentence, match) + _object_after(sentence, match)
            name = _indicator_name(sentence, match)
            gap = sentence[last_end : match.start]
            verb = _inherited_verb(previous, quantity.unit, clause, gap)
            name, clause = verb + name, verb + clause
            previous, last_end = (quantity.unit, name), match.end
            unit = quantity.unit or ("人" if name.endswith("人数") else "")
            measure = _measure(quantity, clause, name)
            mode = _target_mode(measure, clause)
            if mode == "period" and _annual_scope(sentence, match):
                mode = "annual"
            rule = _rule(quantity, measure, clause, passage)
            quote = _quote(
                sentence
                if len(sentence) <= 2 * _WINDOW
                else sentence[max(0, match.start - _WINDOW) : match.end + _WINDOW]
            )
            for each in _split_rate_list(name) if measure == "percent" else [name]:
                found.append(
                    IndicatorDoc(
                        name=each,
                        unit=unit,
                        measure=measure,
                        task=passage.task_code,
                        target_mode=mode,
                        target=quantity.value,
                        comparator=quantity.comparator,
                        source="derived" if rule else "manual",
                        rule=rule,
                        quote=quote,
                    )
                )
    return found


def find_indicators(passages: list[Passage], literacy: Literacy) -> list[IndicatorDoc]:
    """The literacy indicator (LIT) when the plan gives its target, then the others, I01…"""
    found: list[IndicatorDoc] = []
    if literacy.target is not None:
        found.append(
            IndicatorDoc(
                code="LIT",
                name=LITERACY_NAME,
                unit="%",
                measure="percent",
                target_mode="end",
                target=literacy.target,
                baseline=literacy.baseline,
                baseline_year=literacy.baseline_year,
                quote=literacy.quote or "",
            )
        )
    others = [ind for pid, p in enumerate(passages) for ind in _indicators_from(p, pid, literacy)]
    for n, indicator in enumerate(others, start=1):
        indicator.code = f"I{n:02d}"
    return found + others
