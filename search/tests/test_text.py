"""How text and queries are normalised and split into patterns (no database)."""

import pytest

from programs.choices import Modality
from search.text import MODALITY_TERMS, document, matches, normalize, patterns


def test_normalising_folds_case_width_and_punctuation():
    assert normalize("ＣＡＲ－Ｔ  Cell_Injection (r/r ALL)") == "car t cell injection r r all"


def test_normalising_separates_chinese_from_latin_script():
    assert normalize("CD19 CAR-T细胞注射液") == "cd19 car t 细胞注射液"


@pytest.mark.parametrize("query", ["CAR-T", "CAR T", "car-t", "CART", "ＣＡＲ－Ｔ"])
def test_every_spelling_of_car_t_is_one_phrase(query):
    assert patterns(query) == [" car t"]


def test_a_short_latin_word_matches_at_the_start_of_a_word():
    assert patterns("NK") == [" nk"]
    assert matches(document("CAR-NK"), "NK")
    assert not matches(document("Frankfurt bank"), "NK")


def test_chinese_matches_anywhere_whatever_its_length():
    assert patterns("奥仑") == ["奥仑"]
    assert matches(document("瑞基奥仑赛注射液"), "奥仑")


def test_a_longer_latin_word_matches_anywhere():
    assert matches(document("Juventas Cell Therapy"), "ventas")


def test_every_word_must_match():
    text = document("Universal NK", "GPRC5D")
    assert matches(text, "universal gprc5d")
    assert not matches(text, "universal cd19")


def test_a_phrase_does_not_span_two_parts_of_a_document():
    assert not matches(document("Oscar", "T-bank"), "CAR T")


@pytest.mark.parametrize("query", ["", "   ", "!!!", "%", "_", "\\", "🧬"])
def test_a_query_with_no_words_matches_nothing(query):
    assert patterns(query) == []
    assert not matches(document("anything at all"), query)


def test_every_modality_has_search_terms():
    assert set(MODALITY_TERMS) == set(Modality.values)
