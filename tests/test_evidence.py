"""Evidence files: stored under their content hash, refused clearly when they cannot be."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from desktop.errors import ValidationError
from desktop.services import Services
from desktop.services.activities import ActivityInput
from desktop.services.evidence import evidence_dir


def _activity(svc: Services) -> int:
    types = {t.name: t.id for t in svc.reference.activity_types()}
    units = {u.name: u.id for u in svc.reference.units()}
    return svc.activities.add(
        ActivityInput(
            start_date=date(2024, 5, 18),
            title="科普讲座",
            type_id=types["科普讲座"],
            unit_id=units["县科协"],
            participants=80,
        )
    )


def test_same_photo_twice_is_stored_once_under_its_hash(plan_services: Services, tmp_path: Path):
    activity = _activity(plan_services)
    photo = tmp_path / "签到表.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"1" * 100)
    first = plan_services.evidence.add(activity, photo)
    second = plan_services.evidence.add(activity, photo)
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert first.stored_name == second.stored_name == f"{digest}.png"
    assert first.original_name == "签到表.png"
    assert [p.name for p in evidence_dir().iterdir()] == [f"{digest}.png"]
    assert len(plan_services.evidence.list(activity)) == 2


def test_a_file_that_cannot_be_stored_is_refused_in_chinese(
    plan_services: Services, tmp_path: Path
):
    activity = _activity(plan_services)
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 test")
    digest = hashlib.sha256(scan.read_bytes()).hexdigest()
    (evidence_dir() / f"{digest}.pdf.part").mkdir()  # something in the way of the copy
    with pytest.raises(ValidationError, match="无法把“扫描件.pdf”存入数据文件夹"):
        plan_services.evidence.add(activity, scan)
    assert plan_services.evidence.list(activity) == []
    assert not (evidence_dir() / f"{digest}.pdf").exists()

    program = tmp_path / "x.exe"
    program.write_bytes(b"MZ")
    with pytest.raises(ValidationError, match="不支持的佐证材料类型“.exe”"):
        plan_services.evidence.add(activity, program)
