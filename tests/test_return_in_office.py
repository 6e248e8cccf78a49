"""The exported return opens cleanly in a real office suite and prints as the city expects.

The return (`kepu export return`) is opened by LibreOffice headless — with
a profile of the test's own, so parallel runs do not clash — and printed
to PDF, which is what the city's office does with it. The PDF must have
pages; every visible sheet must print, in the workbook's order, with its
title as text (pypdf reads it back), the first sheet's title on the first
page, and each page numbered of the whole; the hidden `_data` sheet,
there for the city's copy of the program, must not print at all.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from desktop.return_layout import DATA_HEADERS, DATA_SHEET, FORMAT_VERSION
from tests.cli_run import run


def test_the_return_prints_every_visible_sheet_and_not_the_data_sheet(
    data_dir: Path, tmp_path: Path, capsys
):
    db = tmp_path / "county.sqlite3"
    code, _, err = run(capsys, "--db", str(db), "demo", "--activities", "300")
    assert code == 0, err
    out = tmp_path / "return.xlsx"
    code, _, err = run(
        capsys, "--db", str(db), "export", "return", "--period", "2024", "--out", str(out)
    )
    assert code == 0, err

    wb = load_workbook(out, read_only=True)
    visible = [(ws.title, ws["A1"].value) for ws in wb.worksheets if ws.sheet_state == "visible"]
    hidden = [ws.title for ws in wb.worksheets if ws.sheet_state != "visible"]
    wb.close()
    assert hidden == [DATA_SHEET]
    assert len(visible) >= 5 and all(isinstance(title, str) and title for _, title in visible)

    assert shutil.which("soffice"), "LibreOffice (soffice) is part of the test set-up"
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pages = [page.extract_text() or "" for page in PdfReader(tmp_path / "return.pdf").pages]
    assert len(pages) >= len(visible)

    first_sheet, first_title = visible[0]
    assert first_title in pages[0], (first_sheet, pages[0][:200])
    where = []
    for sheet, title in visible:
        found = [n for n, text in enumerate(pages) if title in text]
        assert found, f"工作表“{sheet}”的标题“{title}”没有打印出来"
        where.append(found[0])
    assert where == sorted(where) and len(set(where)) == len(
        where
    )  # each sheet on pages of its own
    for n, text in enumerate(pages, start=1):
        assert f"第 {n} 页 共 {len(pages)} 页" in text, (n, text[:120])
    everything = "\n".join(pages)
    assert FORMAT_VERSION not in everything
    assert not [header for header in DATA_HEADERS if header in everything]
