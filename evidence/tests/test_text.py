"""Finding a quote in an article: only typography and whitespace may differ."""

from evidence.text import find_quote, quote_in_text, sentence_around

TEXT = "It said: “the drug’s trial — phase II — began”.\nNext line（here）。"


def test_a_verbatim_quote_is_found():
    assert quote_in_text("the drug’s trial", TEXT)


def test_straight_quotes_and_hyphens_match_typographic_ones():
    assert quote_in_text('"the drug\'s trial - phase II - began"', TEXT)


def test_line_breaks_and_runs_of_spaces_match_one_space():
    assert quote_in_text("began”.   Next   line", TEXT)


def test_full_width_punctuation_matches_its_ascii_twin():
    assert quote_in_text("Next line(here).", TEXT)


def test_a_changed_word_is_not_found():
    assert not quote_in_text("the drug’s trial — phase III", TEXT)


def test_case_is_not_forgiven():
    assert not quote_in_text("THE DRUG’S TRIAL", TEXT)


def test_find_quote_gives_offsets_into_the_original_text():
    start, end = find_quote("\"the drug's trial", TEXT)
    assert TEXT[start:end] == "“the drug’s trial"


def test_sentence_around_a_mention_is_its_sentence():
    text = "First sentence here. The CAR-T program entered phase II. Last one."
    start = text.index("CAR-T")
    assert sentence_around(text, start, start + 5) == "The CAR-T program entered phase II."
