"""Text that is safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
can run as a formula in Excel, LibreOffice or Google Sheets, so every CSV
Accord writes passes its text cells through :func:`spreadsheet_safe`. Numbers
are written as numbers and left alone, so a negative amount stays a number.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
