"""Generated input (Hypothesis): whatever arrives is refused in Chinese with nothing written,
or taken — and then every output still writes.

One invariant, three doors: an activity added through the service, the cells
of a collection workbook, the fields of a plan file. The text is drawn from
everything offices paste (control characters, NUL, zero-width and direction
marks, combining marks, emoji, right-to-left text, half surrogate pairs,
very long strings); the numbers from huge, tiny, negative, NaN, infinity
and Chinese numerals. `./test` runs a short profile; a long one runs with
KEPU_FUZZ=long (for instance `KEPU_FUZZ=long ./test tests/test_fuzz_input.py`).
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from desktop.cli import main
from desktop.errors import ServiceError
from desktop.exporting.collection_template import write_template
from desktop.exporting.plan_workbook import write_plan_workbook
from desktop.exporting.plan_yaml import write_plan_yaml
from desktop.exporting.return_workbook import export_return
from desktop.exporting.summary_pdf import export_summary
from desktop.plan.document import PlanDocument
from desktop.services import Services
from desktop.services.activities import ActivityInput
from desktop.services.periods import parse_period
from tests.conftest import SMALL_PLAN
from tests.test_collection_import import GOOD, UNIT, fill, fingerprint

settings.register_profile(
    "short",
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "long",
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("long" if os.environ.get("KEPU_FUZZ") == "long" else "short")

NASTY = [
    "\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\r", "\n", "\t",
    "\u200b", "\u200d", "\u200e", "\u202e", "\u2066", "\ufeff", "\u00ad", "\u3000", "\u2028",
    "\ud800", "\udfff", "\u0301", "\u0308", "😀", "👩‍👩‍👧", "مرحبا", "שלום", "=1+1", "+", "@", "%",
    "_", '"', "'", "\\", "*", "科普", "讲座", "𠮷",
]  # fmt: skip
texts = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(NASTY), max_size=12).map("".join),
    st.lists(st.sampled_from(NASTY + list("科普讲座培训 ")), min_size=100, max_size=600).map(
        "".join
    ),
)
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        ["九亿亿亿亿", "1.2万", "1,200", "１２", "二十", "1e999", "-0", "9" * 40, "", " "]
    ),
)


def _outputs(svc: Services, folder: Path) -> None:
    """The return, the summary, a collection template and the plan in both formats."""
    export_return(svc, parse_period("2024"), folder / "2024.xlsx")
    export_summary(svc, 2024, folder / "2024.pdf", record=False)
    unit = next(u.id for u in svc.reference.units() if u.name == UNIT)
    write_template(svc.imports.template_spec(unit, "2024Q2"), folder / "采集表.xlsx")
    plan = svc.plans.document().to_dict()
    write_plan_yaml(PlanDocument.from_dict(plan), folder / "方案.yaml")
    write_plan_workbook(PlanDocument.from_dict(plan), folder / "方案.xlsx")


def _county(folder: Path) -> Path:
    db = folder / "county.sqlite3"
    svc = Services.open(db)
    svc.plans.create(PlanDocument.from_dict(SMALL_PLAN))
    svc.reference.add_place("城关镇")
    svc.close()
    return db


def _fresh(pristine: Path, folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    db = folder / "county.sqlite3"
    shutil.copy(pristine, db)
    return db


def _as_count(value: Any) -> Any:
    return value if isinstance(value, int | float) else 0


@given(
    title=texts, summary=texts, media=texts, participants=numbers, funding=numbers, hours=numbers
)
def test_activity_add_refuses_or_every_output_writes(
    tmp_path_factory, title, summary, media, participants, funding, hours
):
    base = tmp_path_factory.getbasetemp() / "fuzz-activity"
    pristine = base / "pristine.sqlite3"
    if not pristine.exists():
        base.mkdir(parents=True, exist_ok=True)
        shutil.move(_county(base), pristine)
    db = _fresh(pristine, base / "run")
    svc = Services.open(db)
    try:
        types = {t.code: t.id for t in svc.reference.activity_types()}
        unit = next(u.id for u in svc.reference.units() if u.name == "县科协")
        before = fingerprint(db)
        data = ActivityInput(
            start_date=date(2024, 5, 18),
            title=title,
            type_id=types["lecture"],
            unit_id=unit,
            participants=_as_count(participants),
            funding_yuan=_as_count(funding),
            volunteer_hours=_as_count(hours),
            summary=summary,
            media=media,
        )
        try:
            svc.activities.add(data)
        except ServiceError as exc:
            assert _chinese(str(exc))
            assert fingerprint(db) == before
            return
        _outputs(svc, base / "run")
    finally:
        svc.close()


@given(title=texts, participants=numbers, funding=numbers, hours=numbers, value=numbers, note=texts)
def test_collection_workbook_cells_refused_or_every_output_writes(
    tmp_path_factory, capsys, title, participants, funding, hours, value, note
):
    base = tmp_path_factory.getbasetemp() / "fuzz-workbook"
    pristine = base / "pristine.sqlite3"
    if not pristine.exists():
        base.mkdir(parents=True, exist_ok=True)
        shutil.move(_county(base), pristine)
        svc = Services.open(pristine)
        unit = next(u.id for u in svc.reference.units() if u.name == UNIT)
        write_template(svc.imports.template_spec(unit, "2024Q2"), base / "template.xlsx")
        svc.close()
    db = _fresh(pristine, base / "run")
    row = dict(
        GOOD[2],
        summary=_cell(note),
        title=_cell(title),
        participants=_cell(participants),
        funding_yuan=_cell(funding),
        volunteer_hours=_cell(hours),
    )
    book = fill(base / "template.xlsx", base / "run" / "filled.xlsx", [row], {"C1": _cell(value)})
    _refused_or_outputs(capsys, db, ["collection", "import", str(book)], base / "run")


@given(section=texts, unit=texts, indicator=texts, target=numbers, task_text=texts)
def test_plan_file_fields_refused_or_every_output_writes(
    tmp_path_factory, capsys, section, unit, indicator, target, task_text
):
    base = tmp_path_factory.getbasetemp() / "fuzz-plan"
    db = _fresh_empty(base / "run")
    plan = yaml.safe_load(yaml.safe_dump(SMALL_PLAN, allow_unicode=True))
    plan["sections"][0]["title"] = section
    plan["sections"][0]["tasks"][0]["text"] = task_text
    plan["sections"][0]["tasks"][0]["units"][0]["name"] = unit
    plan["indicators"][0]["name"] = indicator
    plan["indicators"][0]["target"] = target if not isinstance(target, str) else target or None
    source = base / "run" / "plan.yaml"
    try:
        text = yaml.safe_dump(plan, allow_unicode=True)
    except yaml.YAMLError:
        return  # not something any file could hold
    source.write_text(text, encoding="utf-8", errors="surrogatepass")
    _refused_or_outputs(capsys, db, ["plan", "import", str(source), "--activate"], base / "run")


def _refused_or_outputs(capsys, db: Path, argv: list[str], folder: Path) -> None:
    """The invariant, for a command: refused in Chinese with nothing written, or every output writes."""
    before = fingerprint(db)
    capsys.readouterr()
    if main(["--db", str(db), *argv]) != 0:
        err = capsys.readouterr().err
        assert _chinese(err) and "Traceback" not in err
        assert fingerprint(db) == before
        return
    svc = Services.open(db)
    try:
        _outputs(svc, folder)
    finally:
        svc.close()


def _fresh_empty(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    db = folder / "county.sqlite3"
    svc = Services.open(db)
    svc.reference.add_place("城关镇")
    svc.close()
    return db


def _cell(value: Any) -> Any:
    """What a workbook cell can be given: openpyxl refuses NaN only at save time, as text."""
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, int) and abs(value) > 10**15:
        return str(value)  # Excel keeps 15 digits; a longer number arrives as text
    if isinstance(value, str):  # no workbook cell holds these; the XML test sends them raw
        return ILLEGAL_CHARACTERS_RE.sub("", value).encode("utf-8", "ignore").decode("utf-8")
    return value


def _chinese(message: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)
