"""The preconditions checklist: defaults, answers, weights, a user's file, the score."""

from __future__ import annotations

from pathlib import Path

import pytest

from regiolens.errors import InputError, RegiolensError
from regiolens.network import checklist
from regiolens.network.checklist import answer_text, answer_value, default_checklist, fill, read_checklist, score


def test_defaults_name_the_five_preconditions_and_the_component_weights() -> None:
    defaults = default_checklist()
    assert [i.key for i in defaults.items] == [
        "venture_capital",
        "research",
        "cluster_organisations",
        "budget",
        "political_backing",
    ]
    assert defaults.components == {"structure": 1.0, "clusters": 1.0, "portfolio": 1.0, "preconditions": 1.0}
    assert all(i.label_de and i.label_en and i.value is None for i in defaults.items)
    assert score(defaults.items) is None  # nothing answered: no score


def test_answers_and_the_weighted_mean() -> None:
    assert answer_value("Ja") == ("yes", 1.0) and answer_value("partly") == ("partly", 0.5)  # codes are English
    assert answer_value("teilweise") == ("partly", 0.5) and answer_value("unbekannt") == ("unknown", None)
    assert answer_value(0.7) == ("0.7", 0.7) and answer_value("0,25") == ("0.25", 0.25)
    assert answer_value(None) == ("unknown", None)
    for bad in ("vielleicht", 1.5):
        with pytest.raises(RegiolensError, match="answer"):
            answer_value(bad)
    filled = fill(
        default_checklist(),
        {"venture_capital": "no", "research": "yes", "budget": "partly", "political_backing": "unknown"},
        weights={"research": 3},
        notes={"budget": "nur für zwei Jahre"},
    )
    # (1·0 + 3·1 + 1·0.5) / (1 + 3 + 1); unknown answers are left out
    assert score(filled.items) == pytest.approx(3.5 / 5)
    assert next(i for i in filled.items if i.key == "budget").note == "nur für zwei Jahre"
    with pytest.raises(RegiolensError, match="unknown precondition"):
        fill(default_checklist(), {"vc": "yes"})


def test_a_users_file_answers_weights_and_adds(tmp_path: Path) -> None:
    path = tmp_path / "checklist.toml"
    path.write_text(
        """
[components]
preconditions = 2

[[preconditions]]
key = "venture_capital"
answer = "nein"
note = "kein regionaler VC-Markt bekannt"

[[preconditions]]
key = "flaechen"
label_de = "Gewerbeflächen"
label_en = "Commercial sites"
answer = "yes"
weight = 0.5
""",
        encoding="utf-8",
    )
    filled = read_checklist(path)
    assert filled.components["preconditions"] == 2.0
    vc = filled.items[0]
    assert (vc.answer, vc.answer_de, vc.answer_en) == ("no", "nein", "no")  # a German answer is stored as its code
    assert [i.key for i in filled.items][-1] == "flaechen"
    assert score(filled.items) == pytest.approx(0.5 / 1.5)
    path.write_text('[[preconditions]]\nkey = "neu"\nanswer = "yes"\n', encoding="utf-8")
    with pytest.raises(InputError, match="label_de"):
        read_checklist(path)
    path.write_text("[components]\nfoo = 1\n", encoding="utf-8")
    with pytest.raises(InputError, match=str(checklist.COMPONENTS[0])):
        read_checklist(path)


@pytest.mark.parametrize(
    ("answer", "de", "en"),
    [
        ("yes", "ja", "yes"),
        ("partly", "teilweise", "partly"),
        ("no", "nein", "no"),
        ("unknown", "unbekannt", "unknown"),
        ("ja", "ja", "yes"),
        ("0.7", "0,7", "0.7"),
        ("0.25", "0,25", "0.25"),
        ("1", "1", "1"),
    ],
)
def test_answers_are_said_in_the_readers_language(answer: str, de: str, en: str) -> None:
    assert (answer_text(answer, "de"), answer_text(answer, "en")) == (de, en)


def test_the_json_of_an_item_has_the_code_and_both_texts() -> None:
    item = fill(default_checklist(), {"research": "teilweise"}).items[1]
    dumped = item.model_dump(mode="json")
    assert (dumped["answer"], dumped["answer_de"], dumped["answer_en"]) == ("partly", "teilweise", "partly")
    assert checklist.ChecklistItem.model_validate(dumped) == item
