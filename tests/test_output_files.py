"""An export that cannot be written says why in Chinese, leaves nothing half-written
and records no submission."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from desktop.errors import ServiceError
from desktop.exporting.files import write_problem
from desktop.exporting.plan_yaml import write_plan_yaml
from desktop.exporting.return_workbook import export_return
from desktop.exporting.summary_pdf import export_summary
from desktop.services import Services
from desktop.services.periods import parse_period


@pytest.mark.parametrize("kind", ["return", "summary"])
def test_a_folder_in_the_way_is_explained_and_nothing_recorded(
    plan_services: Services, tmp_path: Path, kind: str
) -> None:
    folder = tmp_path / "报送"
    out = folder / ("报表.xlsx" if kind == "return" else "总结.pdf")
    out.mkdir(parents=True)
    with pytest.raises(ServiceError, match=f"无法写入“{out.name}”：已有同名的文件夹。"):
        if kind == "return":
            export_return(plan_services, parse_period("2024"), out)
        else:
            export_summary(plan_services, 2024, out)
    assert out.is_dir() and list(folder.iterdir()) == [out]  # no .part left behind
    assert plan_services.submissions.list() == []


def test_a_missing_folder_is_named(plan_services: Services, tmp_path: Path) -> None:
    out = tmp_path / "没有这个文件夹" / "方案.yaml"
    with pytest.raises(ServiceError, match="文件夹“.*没有这个文件夹”不存在"):
        write_plan_yaml(plan_services.plans.document(), out)


def test_an_earlier_copy_is_replaced_whole(plan_services: Services, tmp_path: Path) -> None:
    folder = tmp_path / "方案"
    folder.mkdir()
    out = folder / "方案.yaml"
    out.write_text("旧内容", encoding="utf-8")
    write_plan_yaml(plan_services.plans.document(), out)
    assert "旧内容" not in out.read_text(encoding="utf-8")
    assert list(folder.iterdir()) == [out]


def test_a_file_held_open_by_excel_gets_the_office_reason() -> None:
    # What Windows raises when the old workbook is still open in Excel or WPS.
    held = PermissionError(errno.EACCES, "Permission denied")
    message = write_problem(Path("D:/报表/2024年报表.xlsx"), held)
    assert message.startswith("无法写入“2024年报表.xlsx”：文件可能正在被 Excel 或 WPS 打开")
    full = OSError(errno.ENOSPC, "No space left on device")
    assert write_problem(Path("x.pdf"), full) == "无法写入“x.pdf”：磁盘空间不足。"


@pytest.mark.parametrize("kind", ["return", "summary"])
def test_a_period_outside_the_plan_is_not_exported(
    plan_services: Services, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / ("2030.xlsx" if kind == "return" else "1800.pdf")
    with pytest.raises(ServiceError, match="不在实施方案期限（2021—2025年）内"):
        if kind == "return":
            export_return(plan_services, parse_period("2030"), out)
        else:
            export_summary(plan_services, 1800, out)
    assert not out.exists() and plan_services.submissions.list() == []


def test_leftovers_of_killed_processes_are_removed_by_the_next_write(
    plan_services: Services, tmp_path: Path
) -> None:
    """A process killed mid-write leaves its hidden temporary file; only a dead one's is removed."""
    import os
    import subprocess
    import sys

    from desktop.exporting.files import PART_SUFFIX, _host

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = tmp_path / f".报表.xlsx.{_host()}-{gone.stdout.strip()}{PART_SUFFIX}"
    alive = tmp_path / f".总结.pdf.{_host()}-{os.getpid()}{PART_SUFFIX}"
    elsewhere = tmp_path / f".总结.pdf.another-pc-{gone.stdout.strip()}{PART_SUFFIX}"
    for leftover in (dead, alive, elsewhere):
        leftover.write_bytes(b"PK\x03\x04half")
    export_return(plan_services, parse_period("2024"), tmp_path / "报表.xlsx")
    assert not dead.exists()
    assert alive.exists()  # still being written by a running process (here: this one)
    assert elsewhere.exists()  # another computer's process: cannot be checked from here
    assert (tmp_path / "报表.xlsx").is_file()
