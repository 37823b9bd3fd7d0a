"""The preconditions checklist of the transferability assessment and the weights of its components.

Defaults are in ``data/checklist.toml``: five preconditions (venture-capital market, universities and research
institutes, cluster organisations, budget, political backing) and the weights of the four components of the total
score. A person answers each precondition for the target region with ``yes`` (1), ``partly`` (½), ``no`` (0) or
``unknown`` — or a number from 0 to 1 — and may weight it. The checklist's score is the weighted mean of the known
answers::

    s_preconditions = Σ_i w_i · v_i / Σ_{i known} w_i          (no known answer: no score)

A user's file (``regiolens network assess … --checklist FILE``) has the layout of the defaults: ``[components]``
overrides weights of the total, each ``[[preconditions]]`` entry names a ``key`` and gives its ``answer``, ``note``
and ``weight``; entries with a new key (and ``label_de``/``label_en``) add preconditions.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from pydantic import BaseModel, ConfigDict, ValidationError, computed_field

from regiolens.errors import InputError, RegiolensError

COMPONENTS: tuple[str, ...] = ("structure", "clusters", "portfolio", "preconditions")
"""The components of the total score, in the order shown."""

ANSWERS: dict[str, float | None] = {"yes": 1.0, "partly": 0.5, "no": 0.0, "unknown": None}
"""The answers in words (their codes) and their values; ``unknown`` leaves the item out of the score."""

ANSWER_WORDS: dict[str, tuple[str, str]] = {
    "yes": ("ja", "yes"),
    "partly": ("teilweise", "partly"),
    "no": ("nein", "no"),
    "unknown": ("unbekannt", "unknown"),
}
"""Each answer code in German and English: what pages, reports and reasons say; a person may write either."""

_SYNONYMS: dict[str, str] = {word: code for code, words in ANSWER_WORDS.items() for word in (code, *words)}

Answer = str | float | None
"""An answer: a word of :data:`ANSWERS`, a number from 0 to 1, or ``None`` (unknown)."""


class ChecklistItem(BaseModel):
    """One precondition: what it is (both languages), its weight, the answer and its value (``None``: unknown).

    ``answer`` is the machine-readable code (``yes``, ``partly``, ``no``, ``unknown`` or a number such as ``0.7``);
    ``answer_de``/``answer_en`` say it in words (:func:`answer_text`) and are part of the JSON.
    """

    model_config = ConfigDict(frozen=True)

    key: str
    label_de: str
    label_en: str
    question_de: str = ""
    question_en: str = ""
    weight: float = 1.0
    answer: str = "unknown"
    value: float | None = None
    note: str = ""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def answer_de(self) -> str:
        """The answer in German (``teilweise``, ``0,7``)."""
        return answer_text(self.answer, "de")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def answer_en(self) -> str:
        """The answer in English (``partly``, ``0.7``)."""
        return answer_text(self.answer, "en")


class Checklist(BaseModel):
    """The weights of the total's components and the preconditions with their answers."""

    model_config = ConfigDict(frozen=True)

    components: dict[str, float]
    items: list[ChecklistItem]


def answer_text(answer: str, lang: str) -> str:
    """An answer code in words of ``lang`` (``de`` or ``en``): ``"partly"`` → ``teilweise``, ``"0.7"`` → ``0,7``
    in German; a German word given as the answer (``"ja"``) is read as its code."""
    code = _SYNONYMS.get(answer.strip().lower())
    if code is not None:
        return ANSWER_WORDS[code][0 if lang == "de" else 1]
    try:
        value = float(answer)
    except ValueError:
        return answer
    return format_decimal(value, format="0.###", locale="de_DE" if lang == "de" else "en_GB")


def answer_value(answer: Answer) -> tuple[str, float | None]:
    """``(answer code, value)``: ``"yes"`` or ``"ja"`` → ``("yes", 1.0)``, ``0.7`` → ``("0.7", 0.7)``, ``None`` →
    ``("unknown", None)``."""
    if answer is None:
        return "unknown", None
    if isinstance(answer, int | float) and not isinstance(answer, bool):
        value = float(answer)
        if not 0.0 <= value <= 1.0 or math.isnan(value):
            raise RegiolensError(f"a checklist answer given as a number lies between 0 and 1, not {answer}")
        return f"{value:g}", value
    word = str(answer).strip().lower()
    code = _SYNONYMS.get(word)
    if code is None:
        try:
            return answer_value(float(word.replace(",", ".")))
        except ValueError:
            raise RegiolensError(f"unknown checklist answer {answer!r}: yes, partly, no, unknown or 0 to 1") from None
    return code, ANSWERS[code]


def _weight(value: Any, what: str) -> float:
    try:
        weight = float(value)
    except (TypeError, ValueError):
        raise RegiolensError(f"the weight of {what} is a number, not {value!r}") from None
    if weight < 0 or not math.isfinite(weight):
        raise RegiolensError(f"the weight of {what} must be finite and not negative, not {value}")
    return weight


def _merge(base: Checklist, data: Mapping[str, Any], source: str) -> Checklist:
    unknown = set(data) - {"components", "preconditions"}
    if unknown:
        raise InputError(source, None, ", ".join(sorted(unknown)), "unknown section (components, preconditions)")
    components = dict(base.components)
    for key, value in dict(data.get("components", {})).items():
        if key not in COMPONENTS:
            raise InputError(source, None, f"components.{key}", f"unknown component; choose from {COMPONENTS}")
        components[key] = _weight(value, f"component {key}")
    items = {item.key: item for item in base.items}
    for i, entry in enumerate(data.get("preconditions", [])):
        field = f"preconditions[{i}]"
        if not isinstance(entry, Mapping) or not entry.get("key"):
            raise InputError(source, None, field, "each precondition has a key")
        known = items.get(str(entry["key"]))
        values = {**(known.model_dump() if known else {}), **entry}
        if "weight" in entry:
            values["weight"] = _weight(entry["weight"], f"precondition {entry['key']}")
        if "answer" in entry:
            values["answer"], values["value"] = answer_value(entry["answer"])
        try:
            items[values["key"]] = ChecklistItem.model_validate(values)
        except ValidationError as exc:
            message = "; ".join(f"{e['msg']} ({e['loc'][0]})" for e in exc.errors())
            raise InputError(source, None, field, message) from None
    return Checklist(components=components, items=list(items.values()))


def default_checklist() -> Checklist:
    """The defaults (``data/checklist.toml``): every precondition unanswered."""
    text = resources.files("regiolens.network").joinpath("data", "checklist.toml").read_text(encoding="utf-8")
    empty = Checklist(components={k: 1.0 for k in COMPONENTS}, items=[])
    return _merge(empty, tomllib.loads(text), "checklist.toml")


def read_checklist(path: str | Path) -> Checklist:
    """The defaults with a user's checklist file applied (see the module docstring)."""
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(file, None, None, f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise RegiolensError(f"cannot read the checklist {file}: {exc.strerror}") from None
    return _merge(default_checklist(), data, str(file))


def fill(
    checklist: Checklist,
    answers: Mapping[str, Answer] | None = None,
    *,
    notes: Mapping[str, str] | None = None,
    weights: Mapping[str, float] | None = None,
) -> Checklist:
    """The checklist with ``answers``, ``notes`` and item ``weights`` by key (unknown keys are errors)."""
    given = {**(answers or {}), **(notes or {}), **(weights or {})}
    keys = {item.key for item in checklist.items}
    unknown = sorted(set(given) - keys)
    if unknown:
        raise RegiolensError(f"unknown precondition(s) {', '.join(unknown)}; known: {', '.join(sorted(keys))}")
    items = []
    for item in checklist.items:
        update: dict[str, Any] = {}
        if answers and item.key in answers:
            update["answer"], update["value"] = answer_value(answers[item.key])
        if notes and item.key in notes:
            update["note"] = notes[item.key]
        if weights and item.key in weights:
            update["weight"] = _weight(weights[item.key], f"precondition {item.key}")
        items.append(item.model_copy(update=update))
    return Checklist(components=dict(checklist.components), items=items)


def score(items: list[ChecklistItem]) -> float | None:
    """Weighted mean of the known answers (``None`` when no weighted item is answered)."""
    known = [i for i in items if i.value is not None and i.weight > 0]
    total = sum(i.weight for i in known)
    return sum(i.weight * (i.value or 0.0) for i in known) / total if total else None
