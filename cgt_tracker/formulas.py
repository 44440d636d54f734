"""Spreadsheet formulas: text that a spreadsheet would run must reach it as plain text.

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel and
LibreOffice (OWASP "CSV injection"). On export such a cell gets a leading apostrophe, which the
spreadsheet shows as text; on import the apostrophe is removed again, so an export followed by an
import gives back exactly what was exported. A value that itself begins with an apostrophe is escaped
too, or a round trip would lose it.
"""

ESCAPE = "'"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_STARTS = frozenset((*TRIGGERS, ESCAPE))


def escape_formula(value):
    """The cell to write for ``value``: inert text if it would start a formula; anything else unchanged."""
    if isinstance(value, str) and value[:1] in _ESCAPED_STARTS:
        return ESCAPE + value
    return value


def unescape_formula(value):
    """The value a cell written by ``escape_formula`` stands for (the exact inverse)."""
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:].startswith((*TRIGGERS, ESCAPE)):
        return value[1:]
    return value
