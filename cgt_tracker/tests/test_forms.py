"""LinesField: a JSON list edited as text, one entry per line."""

from cgt_tracker.forms import LinesField


def test_lines_field_shows_a_list_one_entry_per_line():
    assert LinesField().prepare_value(["Axi-Cel", "axicabtagene ciloleucel"]) == "Axi-Cel\naxicabtagene ciloleucel"


def test_lines_field_reads_lines_into_a_list_without_blank_lines_or_padding():
    assert LinesField(required=False).clean(" Axi-Cel \r\n\r\naxicabtagene ciloleucel\n") == [
        "Axi-Cel",
        "axicabtagene ciloleucel",
    ]


def test_lines_field_reads_empty_text_as_an_empty_list():
    assert LinesField(required=False).clean("") == []


def test_lines_field_sees_the_same_lines_as_unchanged():
    assert not LinesField().has_changed(["Axi-Cel", "Yescarta"], "Axi-Cel\r\nYescarta")
