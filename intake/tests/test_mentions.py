"""Mentions: known records by every name, new names proposed, stage and date phrases, offsets into the text."""

import pytest
from model_bakery import baker

from companies.models import Company, Institution
from intake.mentions import NameIndex, find_mentions, forget_index
from programs.models import Target, TherapyProgram
from sources.models import Source


@pytest.fixture(autouse=True)
def _fresh_index():
    """Test transactions roll back, so a data version number comes round again: start from no index."""
    forget_index()


TEXT = (
    "Acme Cell Therapy Ltd. and Suzhou Hospital said on July 2, 2021 that ACM-01, its CD19 CAR-T, entered phase II. "
    "Its partner 苏州医院 and Zenith Biotech also joined; CT103A is approved for marketing since 2021年7月. "
    "To think big is the Acme way."
)


def kinds(mentions, kind):
    return [(m.text, m.slug) for m in mentions if m.kind == kind]


@pytest.fixture
def index():
    return NameIndex(
        [
            ("company", "acme", "Acme Cell Therapy Ltd."),
            ("company", "acme", "Acme"),
            ("institution", "suzhou-hospital", "Suzhou Hospital"),
            ("institution", "suzhou-hospital", "苏州医院"),
            ("program", "acm-01", "ACM-01"),
            ("target", "CD19", "CD19"),
            ("target", "NK", "NK"),
        ]
    )


def test_every_mention_is_the_text_at_its_offsets(index):
    for mention in find_mentions(TEXT, index):
        assert TEXT[mention.start : mention.end] == mention.text


def test_known_records_are_found_by_name_alias_and_chinese_name(index):
    found = find_mentions(TEXT, index)
    assert ("Suzhou Hospital", "suzhou-hospital") in kinds(found, "institution")
    assert ("苏州医院", "suzhou-hospital") in kinds(found, "institution")
    assert ("ACM-01", "acm-01") in kinds(found, "program")
    assert ("CD19", "CD19") in kinds(found, "target")


def test_a_shorter_name_inside_a_longer_one_of_the_same_record_is_one_mention(index):
    companies = kinds(find_mentions(TEXT, index), "company")
    assert companies[0] == ("Acme Cell Therapy Ltd.", "acme")
    assert ("Acme", "acme") in companies[1:]  # "the Acme way", on its own
    assert len(companies) == 2


def test_a_latin_name_must_stand_as_a_whole_word(index):
    assert kinds(find_mentions(TEXT, index), "target") == [("CD19", "CD19")]  # no "NK" inside "think"


def test_matching_ignores_case_and_typographic_apostrophes():
    index = NameIndex([("institution", "szch", "Shenzhen Children's Hospital")])
    [mention] = find_mentions("at SHENZHEN CHILDREN’S HOSPITAL today", index)
    assert (mention.kind, mention.slug, mention.text) == ("institution", "szch", "SHENZHEN CHILDREN’S HOSPITAL")


def test_unknown_codes_and_organisations_are_proposed_without_a_slug(index):
    names = kinds(find_mentions(TEXT, index), "name")
    assert ("CT103A", None) in names
    assert ("Zenith Biotech", None) in names
    assert not any(text.startswith("Acme") for text, _ in names)


def test_stage_and_date_phrases_are_found(index):
    found = find_mentions(TEXT, index)
    assert {text for text, _ in kinds(found, "stage")} >= {"phase II", "approved for marketing"}
    assert {text for text, _ in kinds(found, "date")} >= {"July 2, 2021", "2021年7月"}


@pytest.mark.django_db
def test_the_index_is_built_again_when_a_name_is_added():
    text = "Quasar Biologics presented its data."
    assert not kinds(find_mentions(text), "company")
    baker.make(Company, name="Quasar Biologics", slug="quasar")
    assert kinds(find_mentions(text), "company") == [("Quasar Biologics", "quasar")]


@pytest.mark.django_db
def test_the_api_lists_mentions_with_the_documented_keys(client):
    baker.make(Institution, name="Suzhou Hospital", slug="suzhou-hospital", kind="hospital")
    baker.make(Source, slug="probe", title="Probe", text=TEXT)
    response = client.get("/api/sources/probe/mentions/")
    assert response.status_code == 200
    mention = next(m for m in response.json() if m["slug"] == "suzhou-hospital")
    assert mention == {"kind": "institution", "slug": "suzhou-hospital", "text": "Suzhou Hospital",
                       "start": TEXT.index("Suzhou Hospital"), "end": TEXT.index("Suzhou Hospital") + 15}  # fmt: skip


@pytest.mark.django_db
def test_the_api_answers_404_for_an_unknown_source(client):
    assert client.get("/api/sources/nope/mentions/").status_code == 404


def test_targets_from_the_database_are_found_by_symbol(db):
    baker.make(Target, symbol="ZQX9")
    baker.make(TherapyProgram, name="Probe program", slug="probe-program", modality="car_t")
    kinds_found = {m.kind for m in find_mentions("A ZQX9-directed Probe program.")}
    assert kinds_found >= {"target", "program"}
