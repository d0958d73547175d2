"""Cells for CSV files people open in a spreadsheet: text a spreadsheet would run as a formula
(=, +, -, @, or a leading tab or carriage return) is prefixed with a single quote (OWASP "CSV injection").

Every CSV export writes its rows through `safe_row`.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values) -> list[str]:
    return [safe_cell(value) for value in values]
