"""Errors that a user can act on: each names the file, the line and the field that is wrong.

Messages are written in English (the CLI's language). The pages show them in the reader's language through
:mod:`regiolens.i18n.messages`: a raise site may name the message's kind (``kind=``, ``params=``); otherwise
the kind is recognised from the English wording. :meth:`RegiolensError.localised` gives the message in German
or English; a message of no known kind stays English.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from regiolens.i18n import messages


class RegiolensError(Exception):
    """Base class of every error regiolens raises on purpose."""

    def localised(self, lang: str) -> str:
        """The message in ``lang`` (``"de"`` or ``"en"``): translated when its kind is known, else as it is."""
        return messages.translate(str(self), lang)


class InputError(RegiolensError):
    """Bad input in a file: names the file, the 1-based line and the field.

    ``line`` is ``None`` when the problem concerns the whole file (e.g. a wrong encoding detected
    before any line could be read) and ``field`` is ``None`` when it concerns a whole line. ``kind`` (with
    ``params``) names the message's form in :data:`regiolens.i18n.messages.INPUT_KINDS`; without it, the kind is
    recognised from ``message`` where a pattern knows it (``None`` when none does).
    """

    def __init__(
        self,
        path: str | Path,
        line: int | None,
        field: str | None,
        message: str,
        *,
        kind: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        if kind is None:
            found = messages.recognise(message)
            kind, params = found if found else (None, None)
        self.kind = kind
        self.params: dict[str, object] = dict(params or {})
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f", line {self.line}"
        if self.field is not None:
            where += f", field {self.field!r}"
        return f"{where}: {self.message}"

    def localised_message(self, lang: str) -> str:
        """The message alone (without file, line and field) in ``lang``; English when its kind is unknown."""
        if self.kind is None or lang == "en":
            return self.message
        return messages.render(self.kind, lang, **self.params)

    def localised(self, lang: str, file_name: str | None = None) -> str:
        """File, line, field and message in ``lang``: ``Datei „x.csv“, Zeile 12, Feld „AGS“: leerer Wert``.

        ``file_name`` replaces the path (a web page names the uploaded file, not the server's temporary copy).
        """
        name = file_name or self.path
        where = f"{messages.frame_word('file', lang).capitalize()} {messages.quoted(name, lang)}"
        if self.line is not None:
            where += f", {messages.frame_word('line', lang)} {self.line}"
        if self.field is not None:
            field = messages.quoted(messages.field_name(self.field, lang), lang)
            where += f", {messages.frame_word('field', lang)} {field}"
        return f"{where}: {self.localised_message(lang)}"


class KindError(RegiolensError):
    """An error raised by the kind of its message (:data:`regiolens.i18n.messages.KINDS`) with its placeholders.

    The English text is the exception's message (as the CLI and the API show it); :meth:`localised` renders the
    same kind in German. ``status_code`` is the HTTP status the web app answers with.
    """

    status_code = 400

    def __init__(self, kind: str, **params: object) -> None:
        self.kind = kind
        self.params = params
        super().__init__(messages.render(kind, "en", **params))

    def localised(self, lang: str) -> str:
        return messages.render(self.kind, lang, **self.params)


class InvalidParameter(KindError):
    """A parameter out of the range the API documents, or not a number at all (``n=0``, ``year=1800``): HTTP 422."""

    status_code = 422


class NotInData(KindError):
    """A choice the parameters allow but the data cannot answer (a year without data, the base year after the
    year): HTTP 400, as for any input no schema can rule out."""


class UnknownRegionError(RegiolensError):
    """A region code or group name that the registry does not know."""


class UnknownIndustryError(RegiolensError):
    """An industry code that the classification does not know."""
