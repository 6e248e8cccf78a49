"""Unit clauses as plans print them, each with the roles its wording gives.

A clause is printed from a task's units and returns the units a careful
reader takes from the printed words, which is the answer the corpus
records. Wordings that can name only one lead (a single 责任单位 list,
"…按职责分工负责") give the first named the lead and the rest cooperate, the
convention of these plans, so a task with several leads printed that way is
expected with one; wordings that carry roles (牵头/配合 labels, "A牵头，B配合",
"A（牵头）") keep every lead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tests.plan_forms.corpus import COOP, LEAD, Unit


@dataclass(frozen=True)
class Clause:
    text: str
    units: tuple[Unit, ...]


def listing(names: Sequence[str], sep: str = "、") -> str:
    """Names joined as printed: a group (各乡（镇）人民政府, 各成员单位) after
    departments is set off with "，" rather than "、"."""
    out = ""
    for i, name in enumerate(names):
        if i:
            out += "，" if sep == "、" and name.startswith("各") else sep
        out += name
    return out


def _leads(units: Sequence[Unit]) -> list[str]:
    return [u.name for u in units if u.role == LEAD]


def _coops(units: Sequence[Unit]) -> list[str]:
    return [u.name for u in units if u.role != LEAD]


def first_leads(names: Sequence[str]) -> tuple[Unit, ...]:
    return tuple(Unit(name, LEAD if i == 0 else COOP) for i, name in enumerate(names))


def exact(units: Sequence[Unit]) -> tuple[Unit, ...]:
    """Leads first, as every role-carrying wording prints them."""
    return tuple(Unit(n, LEAD) for n in _leads(units)) + tuple(Unit(n, COOP) for n in _coops(units))


def responsible(units: Sequence[Unit], label: str = "责任单位", colon: str = "：") -> Clause:
    """责任单位：A、B、C — one list, the first named leads."""
    names = _leads(units) + _coops(units)
    return Clause(f"{label}{colon}{listing(names)}", first_leads(names))


def labelled(
    units: Sequence[Unit],
    lead_label: str = "牵头单位",
    coop_label: str = "配合单位",
    colon: str = "：",
    between: str = "；",
    sep: str = "、",
) -> Clause:
    """牵头单位：A、B；配合单位：C、D (the labels, colon and separators as given;
    `between` "\n" puts the second label on a line of its own)."""
    text = f"{lead_label}{colon}{listing(_leads(units), sep)}"
    if _coops(units):
        text += f"{between}{coop_label}{colon}{listing(_coops(units), sep)}"
    return Clause(text, exact(units))


def lead_verb(units: Sequence[Unit]) -> Clause:
    """A牵头，B、C配合."""
    text = f"{listing(_leads(units))}牵头"
    if _coops(units):
        text += f"，{listing(_coops(units))}配合"
    return Clause(text, exact(units))


def marked(units: Sequence[Unit], label: str = "责任单位") -> Clause:
    """责任单位：A（牵头）、B（牵头）、C — each lead marked after its name."""
    names = [f"{n}（牵头）" for n in _leads(units)] + _coops(units)
    return Clause(f"{label}：{listing(names)}", exact(units))


def by_whom(units: Sequence[Unit]) -> Clause:
    """由A负责，B、C配合; several leads are printed 由A、B牵头."""
    leads = _leads(units)
    text = f"由{listing(leads)}{'负责' if len(leads) == 1 else '牵头'}"
    if _coops(units):
        text += f"，{listing(_coops(units))}配合"
    return Clause(text, exact(units))


def by_duty(units: Sequence[Unit]) -> Clause:
    """A、B、C按职责分工负责 — the first named leads."""
    names = _leads(units) + _coops(units)
    return Clause(f"{listing(names)}按职责分工负责", first_leads(names))
