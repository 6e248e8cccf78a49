"""Submission records: what left the office, when, by whom, with its SHA-256."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.errors import ValidationError
from desktop.models import AuditRecord
from desktop.services import Services


def test_record_hashes_the_file_and_lists_newest_first(services: Services, tmp_path: Path) -> None:
    first = tmp_path / "2024年报表.xlsx"
    first.write_bytes(b"first return")
    second = tmp_path / "2024年度总结.pdf"
    second.write_bytes(b"summary")
    a = services.submissions.record("2024", "return", first, final=True)
    b = services.submissions.record("2024", "summary", second)
    rows = services.submissions.list()
    assert [r.id for r in rows] == [b, a]
    ret = rows[1]
    assert ret.sha256 == hashlib.sha256(b"first return").hexdigest()
    assert ret.final and not rows[0].final
    assert ret.operator == "测试员"
    assert Path(ret.file_name) == first.resolve()
    assert ret.kind_label == "Excel 报表" and rows[0].kind_label == "年度工作总结"
    assert ret.created_at is not None


def test_list_by_period(services: Services, tmp_path: Path) -> None:
    f = tmp_path / "x.xlsx"
    f.write_bytes(b"x")
    services.submissions.record("2024Q1", "return", f)
    services.submissions.record("2024Q2", "return", f)
    assert [r.period for r in services.submissions.list("2024Q2")] == ["2024Q2"]


def test_each_record_is_audited(services: Services, tmp_path: Path) -> None:
    f = tmp_path / "x.xlsx"
    f.write_bytes(b"x")
    sid = services.submissions.record("2024", "return", f, final=True)
    with services.db.reading() as s:
        audit = s.scalar(select(AuditRecord).where(AuditRecord.entity == "submission"))
    assert audit is not None and audit.entity_id == sid
    assert audit.summary == "导出正式报送Excel 报表 2024：x.xlsx"


def test_verify_detects_a_changed_file(services: Services, tmp_path: Path) -> None:
    f = tmp_path / "x.xlsx"
    f.write_bytes(b"original")
    sid = services.submissions.record("2024", "return", f)
    assert services.submissions.verify(sid, f)
    f.write_bytes(b"edited afterwards")
    assert not services.submissions.verify(sid, f)


def test_bad_input_is_refused_and_nothing_recorded(services: Services, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="导出的文件不存在"):
        services.submissions.record("2024", "return", tmp_path / "missing.xlsx")
    f = tmp_path / "x.xlsx"
    f.write_bytes(b"x")
    with pytest.raises(ValidationError, match="未知的报送类型"):
        services.submissions.record("2024", "fax", f)
    assert services.submissions.list() == []
