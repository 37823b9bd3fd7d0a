"""Number and date formats of the user's language: German first (decimal comma, thousands dot, true minus).

Every number formatted for people goes through :func:`format_number` or :func:`format_share`, which write a
negative number with the true minus sign (U+2212, as the charts' d3 format does), never the hyphen: ``−1,2``.
"""

from __future__ import annotations

import os

from babel.numbers import format_decimal, format_percent

DEFAULT_LOCALE = "de_DE"

MINUS = "\u2212"
"""The minus sign of negative numbers in sentences and reports (as d3-format writes it in the charts)."""


def current_locale() -> str:
    """The locale for output: ``REGIOLENS_LANG`` (``de`` or ``en``) or German."""
    lang = os.environ.get("REGIOLENS_LANG", "de").lower()
    return "en_GB" if lang.startswith("en") else DEFAULT_LOCALE


def format_number(value: float | int, digits: int | None = None, locale: str | None = None) -> str:
    """Format a number for people: ``32.870.228``, ``1,25`` and ``−3`` in German, ``32,870,228`` in English.

    Integers (and floats without fraction when ``digits`` is None) get no decimals; other floats two
    significant decimals unless ``digits`` says otherwise.
    """
    loc = locale or current_locale()
    if digits is None:
        if isinstance(value, int) or float(value).is_integer():
            return format_decimal(value, format="#,##0", locale=loc).replace("-", MINUS)
        digits = 2
    pattern = "#,##0." + "0" * digits if digits > 0 else "#,##0"
    return format_decimal(value, format=pattern, locale=loc).replace("-", MINUS)


def format_share(value: float, digits: int = 1, locale: str | None = None) -> str:
    """Format a share (0.123) as a percentage: ``12,3 %`` in German, ``−4,5 %`` for a fall."""
    pattern = "#,##0." + "0" * digits + " %" if digits > 0 else "#,##0 %"
    return format_percent(value, format=pattern, locale=locale or current_locale()).replace("-", MINUS)
