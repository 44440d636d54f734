import pytest

from cgt_tracker.formulas import escape_formula, unescape_formula

FORMULAS = ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_cell_that_would_start_a_formula_is_exported_as_text(value):
    assert escape_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["CNCT19", "CAR-T", "细胞治疗", "", " =not first", 42, None])
def test_any_other_cell_is_exported_unchanged(value):
    assert escape_formula(value) == value


@pytest.mark.parametrize("value", [*FORMULAS, "'quoted", "''", "'=1", "plain", "", 7, None])
def test_importing_an_exported_cell_gives_back_the_value(value):
    assert unescape_formula(escape_formula(value)) == value


def test_an_apostrophe_before_ordinary_text_is_kept_on_import():
    assert unescape_formula("'tis") == "'tis"
