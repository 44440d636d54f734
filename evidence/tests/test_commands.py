"""``verify_evidence`` and the evidence fixture: every gap is named, nothing unverified gets in."""

import json

import pytest
from django.core.management import CommandError, call_command

from evidence.loading import EvidenceFixtureError, load_evidence
from evidence.models import Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_acme(company):
    """Just the test records: the article fixtures are set aside for these tests."""
    from evidence.models import evidenced_models

    for model in evidenced_models():
        model._default_manager.exclude(pk=company.pk if model is type(company) else None).delete()


def test_verify_evidence_names_a_record_without_evidence(only_acme, capsys):
    with pytest.raises(CommandError):
        call_command("verify_evidence")
    assert "companies.company acme: no evidence" in capsys.readouterr().out


def test_verify_evidence_names_a_quote_not_in_its_source(only_acme, company, source, capsys):
    Evidence.objects.create(record=company, source=source, quote="founded in Suzhou in 2015")
    source.text = "A different text altogether, now."
    source.save()
    with pytest.raises(CommandError):
        call_command("verify_evidence")
    assert "The quote is not in the text of “Acme news”" in capsys.readouterr().out


def test_verify_evidence_passes_when_everything_is_quoted(only_acme, company, source, capsys):
    Evidence.objects.create(record=company, source=source, quote="founded in Suzhou in 2015")
    call_command("verify_evidence")
    assert "Every record has evidence" in capsys.readouterr().out


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
