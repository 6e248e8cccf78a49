"""Chinese numerals and quantified targets as printed in plan documents.

Plans print numbers every way at once: Arabic, full-width (１３), Chinese
(十四, 二○三五), with a magnitude (1.3 万), a range (1-2 门) and words that
set the direction of the target (不少于, 以上, 不超过). The plan-text parser
needs all of them turned into a value, a unit of measure and a comparator,
with the position in the text so the quoting sentence can be cut out.

Arithmetic goes through Decimal so that 1.3 万 is exactly 13000, not
13000.000000000002.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

Comparator = Literal[">=", "<="]
Number = int | float

CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "Ｏ": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
CN_LARGE_UNITS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}
MAGNITUDES: dict[str, int] = {"千": 1000, **CN_LARGE_UNITS}

# Units of measure a target may carry, longest first so that 人次 wins over 人.
QUANTITY_UNITS: tuple[str, ...] = (
    "个百分点",
    "人次",
    "场次",
    "万元",
    "小时",
    "课时",
    "学时",
    "人",
    "名",
    "个",
    "次",
    "场",
    "期",
    "所",
    "家",
    "辆",
    "套",
    "门",
    "项",
    "座",
    "处",
    "支",
    "篇",
    "部",
    "册",
    "份",
    "元",
    "%",
)

# Words that make a target an upper bound; everything else is a lower bound
# (达到, 以上, 不少于 … and the bare number, which plans mean as "at least").
_UPPER_BOUND_WORDS: tuple[str, ...] = (
    "不超过",
    "不高于",
    "不多于",
    "低于",
    "控制在",
    "以下",
    "以内",
)
_LOWER_BOUND_NEGATIONS: tuple[str, ...] = ("不低于", "不少于")

_CN_DIGIT_CHARS = "".join(CN_DIGITS)
_CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "万亿"

_BEFORE = r"(?P<before>不少于|不低于|不超过|不高于|不多于|至少|超过|高于|低于|达到|达|控制在)?\s*"
_AFTER = r"\s*(?P<after>及以上|以上|以下|以内|左右)?"
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CN_NUM = rf"[{_CN_NUMERAL_CHARS}]+"
_UNIT_ALT = "|".join(re.escape(u) for u in QUANTITY_UNITS)

_ARABIC_QUANTITY = re.compile(
    _BEFORE
    + rf"(?P<num>{_ARABIC})(?:\s*[-—–~～至到]\s*(?P<upper>{_ARABIC}))?"
    + r"\s*(?P<mag>[万千亿])?\s*(?P<approx>余|多)?\s*"
    + rf"(?P<unit>{_UNIT_ALT})?"
    + _AFTER
)
# Chinese numerals are mostly set phrases (一批, 一支, "四个全面", 十九届六中
# 全会), so they count only with a unit from this short list, and -- except
# for persons (配备一名…, 一村一名…) -- only after a target word a few
# characters back ("至少配备一名", "每年召开一次").
_CHINESE_QUANTITY = re.compile(
    rf"(?<![\d.{_CN_NUMERAL_CHARS}])"
    rf"(?P<num>[一二两三四五六七八九十][{_CN_NUMERAL_CHARS}]*)"
    r"(?P<unit>名|人次|人|场次|次|个|所|家|场|期|座|辆|套)" + _AFTER
)
_CHINESE_PERSON_UNITS = ("名", "人")
_TARGET_WORDS = re.compile(
    r"不少于|不低于|不超过|至少|超过|达到|配备|配置|设立|明确|创建|建成|培育|举办|开展|召开|组织|安排"
    r"|培训|轮训|新建|建设|接待"
)
_LOOKBACK = 6
# Counts of events are often printed after their object: "每年举办…大赛一次".
# For those units the whole clause is searched for a target word or a
# frequency ("每年"), not only the last few characters.
_EVENT_UNITS = ("次", "场", "期", "场次")
_FREQUENCY = re.compile(r"每(?:年|学年|学期|季度|月|周)|年均|全年")
# "百分之九十", "百分之12.5": a percentage written out.
_PERCENT_WORDS = re.compile(
    r"(?P<before>不少于|不低于|不超过|不高于|至少|超过|高于|低于|达到|达|控制在)?"
    rf"百分之(?P<num>{_ARABIC}|[{_CN_NUMERAL_CHARS}]+(?:点[{_CN_DIGIT_CHARS}]+)?)" + _AFTER
)

_FULLWIDTH_OFFSET = 0xFEE0


def to_halfwidth(text: str) -> str:
    """Map full-width ASCII (１３, ％, ．) to half-width, one character for one.

    Unlike NFKC this keeps string length, so match positions found in the
    converted text are valid in the original.
    """
    return "".join(
        chr(ord(ch) - _FULLWIDTH_OFFSET) if "\uff01" <= ch <= "\uff5e" else ch for ch in text
    )


def _tidy(value: Decimal) -> Number:
    return int(value) if value == value.to_integral_value() else float(value)


def parse_chinese_integer(text: str) -> int:
    """Value of a Chinese numeral: 十四 → 14, 二○三五 → 2035, 三万五千 → 35000.

    A numeral without any of 十百千万亿 is read digit by digit, which is how
    years are printed (二○三五).
    """
    text = text.strip()
    if not text or any(
        ch not in CN_DIGITS and ch not in CN_SMALL_UNITS and ch not in CN_LARGE_UNITS for ch in text
    ):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if not any(ch in CN_SMALL_UNITS or ch in CN_LARGE_UNITS for ch in text):
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total = 0  # finished 万/亿 groups
    section = 0  # current group below 万
    digit: int | None = None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * CN_SMALL_UNITS[ch]
            digit = None
        else:
            total = (total + section + (digit or 0)) * CN_LARGE_UNITS[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def parse_number(text: str) -> Number:
    """Value of a printed number: "1.3 万" → 13000, "１３" → 13, "十四" → 14, "1,000" → 1000."""
    compact = re.sub(r"[\s,，]", "", to_halfwidth(text))
    if not compact:
        raise ValueError("empty number")
    multiplier = 1
    if len(compact) > 1 and compact[-1] in MAGNITUDES and re.fullmatch(_ARABIC + ".", compact):
        multiplier = MAGNITUDES[compact[-1]]
        compact = compact[:-1]
    if re.fullmatch(_ARABIC, compact):
        try:
            return _tidy(Decimal(compact) * multiplier)
        except InvalidOperation as exc:  # pragma: no cover - regex guarantees a decimal
            raise ValueError(text) from exc
    return parse_chinese_integer(compact)


def comparator_of(before: str | None, after: str | None) -> Comparator:
    """Direction of a target from the words printed before and after the number."""
    words = f"{before or ''}{after or ''}"
    if any(w in words for w in _LOWER_BOUND_NEGATIONS):
        return ">="
    return "<=" if any(w in words for w in _UPPER_BOUND_WORDS) else ">="


@dataclass(frozen=True)
class Quantity:
    """A quantified target: 4万人次以上 → value 40000, unit 人次, comparator >=.

    `upper` is the top of a printed range (1-2 门 → value 1, upper 2).
    `unit` is "" when the number stands alone ("注册人数达到2.5万").
    """

    value: Number
    unit: str
    comparator: Comparator = ">="
    upper: Number | None = None


@dataclass(frozen=True)
class QuantityMatch:
    """A quantity found in a text, with its span (end exclusive) and wording."""

    quantity: Quantity
    start: int
    end: int
    text: str


def _scaled(number: str, magnitude: str | None) -> Number:
    return parse_number(number + (magnitude or ""))


def _is_year(match: re.Match[str], text: str) -> bool:
    """2025年, 2021-2025年度, 2019—2023 年: years, not targets."""
    following = text[match.end("num") : match.end("num") + 12].lstrip()
    if following.startswith("年"):
        return True
    num = float(match.group("num").replace(",", ""))
    upper = match.group("upper")
    return (
        1900 <= num <= 2100
        and (upper is None or 1900 <= float(upper.replace(",", "")) <= 2100)
        and not match.group("unit")
    )


def find_quantities(text: str) -> list[QuantityMatch]:
    """Every quantified target in `text`, in order of appearance.

    Skipped: years and year ranges, ordinals (第三次), numbers glued to
    letters or other digits, and bare numbers with neither a unit nor a
    magnitude nor a comparator word (section numbers, "330工程").
    """
    # "，" stays full-width: "1,500" groups digits, "全县，100个" does not
    half = to_halfwidth(text.replace("，", "\x00")).replace("\x00", "，")
    found: list[QuantityMatch] = []
    for m in _ARABIC_QUANTITY.finditer(half):
        num_start = m.start("num")
        previous = half[num_start - 1] if num_start else ""
        if previous.isascii() and (previous.isalnum() or previous == ".") or previous == "第":
            continue
        if _is_year(m, half):
            continue
        unit = m.group("unit") or ""
        if not unit and not (m.group("mag") and m.group("before")):
            continue
        upper = m.group("upper")
        quantity = Quantity(
            value=_scaled(m.group("num"), m.group("mag")),
            unit=unit,
            comparator=comparator_of(m.group("before"), m.group("after")),
            upper=_scaled(upper, m.group("mag")) if upper else None,
        )
        found.append(QuantityMatch(quantity, m.start(), m.end(), text[m.start() : m.end()]))
    for m in _CHINESE_QUANTITY.finditer(half):
        window = re.split(r"[，。；、,;]", half[max(0, m.start() - _LOOKBACK) : m.start()])[-1]
        if window.endswith(("第", "每")) or half[m.end("unit") : m.end("unit") + 1] == "性":
            continue
        trigger = _TARGET_WORDS.search(window)
        if trigger is None and m.group("unit") in _EVENT_UNITS:
            clause = re.split(r"[，。；,;：:]", half[: m.start()])[-1]
            trigger = _TARGET_WORDS.search(clause) or _FREQUENCY.search(clause)
        if m.group("unit") not in _CHINESE_PERSON_UNITS and not trigger:
            continue
        try:
            value = parse_chinese_integer(m.group("num"))
        except ValueError:
            continue
        before = trigger.group(0) if trigger else None
        quantity = Quantity(value, m.group("unit"), comparator_of(before, m.group("after")))
        found.append(QuantityMatch(quantity, m.start(), m.end(), text[m.start() : m.end()]))
    for m in _PERCENT_WORDS.finditer(half):
        try:
            value = _percent_value(m.group("num"))
        except ValueError:
            continue
        quantity = Quantity(value, "%", comparator_of(m.group("before"), m.group("after")))
        found.append(QuantityMatch(quantity, m.start(), m.end(), text[m.start() : m.end()]))
    found.sort(key=lambda q: q.start)
    return found


def _percent_value(number: str) -> Number:
    """ "九十" → 90, "十二点五" → 12.5, "12.5" → 12.5."""
    if "点" not in number:
        return parse_number(number)
    whole, decimals = number.split("点", 1)
    digits = "".join(str(CN_DIGITS[ch]) for ch in decimals)
    return _tidy(Decimal(parse_chinese_integer(whole)) + Decimal(f"0.{digits}"))


def parse_quantity(text: str) -> Quantity:
    """The first quantity in `text`: "不少于4次" → Quantity(4, "次", ">=")."""
    matches = find_quantities(text)
    if not matches:
        raise ValueError(f"no quantity in {text!r}")
    return matches[0].quantity
