"""``verify_evidence`` and the evidence fixture: every gap is named, nothing unverified gets in."""

import json

import pytest
from django.core.management import CommandError, call_command
from model_bakery import baker

from evidence.checks import problems
from evidence.loading import EvidenceFixtureError, load_evidence
from evidence.models import Evidence
from sources.models import Source

pytestmark = pytest.mark.django_db


def acme_problems():
    return [str(problem) for problem in problems() if problem.record == "companies.company acme"]


def test_verify_evidence_exits_non_zero_and_names_a_record_without_evidence(company, capsys):
    with pytest.raises(CommandError, match="problem"):
        call_command("verify_evidence")
    assert "companies.company acme: no evidence" in capsys.readouterr().out


def test_a_quote_no_longer_in_its_source_is_a_problem(company, source):
    Evidence.objects.create(record=company, source=source, quote="founded in Suzhou in 2015")
    source.text = "A different text altogether, now."
    source.save()
    assert acme_problems() == [
        "companies.company acme: The quote is not in the text of “Acme news” (acme-news): “founded in Suzhou in 2015”."
    ]


def test_a_cited_source_nothing_is_quoted_from_is_a_problem(company, source):
    Evidence.objects.create(record=company, source=source, quote="founded in Suzhou in 2015")
    other = baker.make(Source, slug="other-news", text="Other news, of a different day.")
    company.sources.add(other)
    assert acme_problems() == ["companies.company acme: cites “other-news” but quotes nothing from it"]


def test_a_record_quoting_every_source_it_cites_has_no_problem(company, source):
    Evidence.objects.create(record=company, source=source, quote="founded in Suzhou in 2015")
    assert acme_problems() == []


def write(tmp_path, items):
    path = tmp_path / "evidence.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def test_the_fixture_loads_quotes_once(tmp_path, company):
    path = write(tmp_path, [{"record": ["companies.company", "acme"], "field": "city", "source": "acme-news",
                             "quote": "founded in Suzhou in 2015"}])  # fmt: skip
    assert load_evidence(path) == 1
    assert load_evidence(path) == 0
    assert company.evidence.get().field == "city"


def test_a_fixture_quote_not_in_the_text_stops_loading_and_names_the_record(tmp_path, company):
    path = write(tmp_path, [{"record": ["companies.company", "acme"], "field": None, "source": "acme-news",
                             "quote": "founded in Shenzhen in 2015"}])  # fmt: skip
    with pytest.raises(EvidenceFixtureError, match=r"companies\.company acme: The quote is not in the text"):
        load_evidence(path)
    assert not company.evidence.exists()


def test_a_fixture_item_for_a_missing_record_names_it(tmp_path, company):
    path = write(tmp_path, [{"record": ["companies.company", "ghost"], "field": None, "source": "acme-news",
                             "quote": "founded in Suzhou in 2015"}])  # fmt: skip
    with pytest.raises(EvidenceFixtureError, match=r"companies\.company ghost: no such record"):
        load_evidence(path)
