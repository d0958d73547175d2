import pytest

from vigie.lib.spreadsheet import safe_cell, safe_row


@pytest.mark.parametrize("value", ["=1+1", "+33 6 12", "-2", "@SUM(A1)", "\tx", "\r=1", "=cmd|' /C calc'!A0"])
def test_it_neutralises_a_cell_a_spreadsheet_would_read_as_a_formula(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Bonjour", "", "1+1", "a=b", "'déjà cité"])
def test_it_leaves_plain_text_alone(value):
    assert safe_cell(value) == value


def test_a_row_is_neutralised_cell_by_cell_and_non_text_becomes_text():
    assert safe_row(["=1", 3, None, {"a": 1}]) == ["'=1", "3", "", "{'a': 1}"]
