"""write_report chooses the format by suffix and refuses what it cannot write."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest

from regiolens.errors import RegiolensError
from regiolens.reports import write_report
from tests.reports import sample


def test_html_by_suffix(tmp_path: Path) -> None:
    out = write_report(sample.profile(), tmp_path / "profil.HTML")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("name", ["profil.docx", "profil", "profil.pdf.txt"])
def test_unknown_suffix(tmp_path: Path, name: str) -> None:
    with pytest.raises(RegiolensError, match="cannot write a report"):
        write_report(sample.profile(), tmp_path / name)
    assert not (tmp_path / name).exists()


def test_unknown_language_and_result(tmp_path: Path) -> None:
    with pytest.raises(RegiolensError, match="'de' or 'en'"):
        write_report(sample.profile(), tmp_path / "p.xlsx", lang="fr")
    with pytest.raises(RegiolensError, match="Profile or a Comparison"):
        write_report(cast(Any, sample.lq_map()), tmp_path / "p.xlsx")
    assert not (tmp_path / "p.xlsx").exists()
