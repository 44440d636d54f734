"""The admin every record is edited in: every model registered, listed, added, changed, with its history."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from model_bakery import baker
from simple_history.models import HistoricalChanges

from cgt_tracker.forms import LinesField
from cgt_tracker.models import CitedModel
from companies.models import Collaboration, Company, Institution
from policies.models import Indicator, PolicyDocument
from programs.models import Designation, Development, Indication, Milestone, Target, TherapyProgram
from sources.models import Source

from .admin_helpers import admin_form, admin_url, changelist_pks

pytestmark = pytest.mark.django_db

ADMIN_MODELS = [
    Source,
    Company,
    Institution,
    Collaboration,
    Target,
    Indication,
    Designation,
    TherapyProgram,
    Development,
    Milestone,
    PolicyDocument,
    Indicator,
]
CITED_MODELS = [model for model in ADMIN_MODELS if issubclass(model, CitedModel)]
every_model = pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model.__name__)
# Values a random record needs to pass the model's check constraints.
VALID_VALUES = {PolicyDocument: {"period_start": 2023, "period_end": 2025}}


def make(model, **values):
    """A record of ``model`` with every optional field and relation filled in (the database fills generated ones)."""
    optional = [field.name for field in model._meta.fields if not field.generated]
    return baker.make(model, _fill_optional=optional, make_m2m=True, **{**VALID_VALUES.get(model, {}), **values})


def changelist_of(client, records):
    """The changelist page narrowed to ``records`` (so the related records made with them do not crowd them out)."""
    model = type(records[0])
    return client.get(admin_url(model, "changelist"), {"id__in": ",".join(str(record.pk) for record in records)})


def test_every_model_is_edited_in_the_admin_directly_or_inline():
    registry = admin.site._registry
    inline_models = {inline.model for model_admin in registry.values() for inline in model_admin.inlines}
    models = [
        model
        for label in ("sources", "companies", "programs", "policies")
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, HistoricalChanges)
    ]
    assert [model for model in models if model not in registry and model not in inline_models] == []


def test_admin_site_is_titled_cgt_tracker_administration(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.context["site_header"] == "CGT Tracker administration"
    assert response.context["site_title"] == "CGT Tracker administration"


@every_model
def test_changelist_lists_records_with_every_column(admin_client, model):
    record = make(model)
    response = changelist_of(admin_client, [record])
    assert response.status_code == 200
    assert changelist_pks(response) == {record.pk}


@every_model
def test_add_page_renders(admin_client, model):
    assert admin_client.get(admin_url(model, "add")).status_code == 200


@every_model
def test_change_page_renders_with_a_history_button(admin_client, model):
    record = make(model)
    response = admin_client.get(admin_url(model, "change", record.pk))
    assert response.status_code == 200
    assert admin_url(model, "history", record.pk) in response.content.decode()


@every_model
def test_history_page_shows_the_record_change_history(admin_client, model):
    record = make(model)
    response = admin_client.get(admin_url(model, "history", record.pk))
    assert response.status_code == 200
    assert "simple_history/object_history.html" in [template.name for template in response.templates]
    assert len(response.context["page_obj"]) == record.history.count() > 0


@every_model
def test_changelist_costs_the_same_queries_whatever_the_number_of_rows(admin_client, model):
    def queries_to_list(records):
        with CaptureQueriesContext(connection) as queries:
            assert len(changelist_pks(changelist_of(admin_client, records))) == len(records)
        return len(queries)

    records = [make(model) for _ in range(4)]
    assert queries_to_list(records) == queries_to_list(records[:1])


def test_non_staff_user_is_sent_to_the_login_page(client):
    client.force_login(baker.make(get_user_model(), is_staff=False))
    response = client.get(admin_url(TherapyProgram, "changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", CITED_MODELS, ids=lambda model: model.__name__)
def test_every_cited_record_form_requires_a_source(admin_request, model):
    assert admin_form(model, admin_request).base_fields["sources"].required


@pytest.mark.parametrize(
    ("model", "field"),
    [(Company, "aliases"), (Institution, "aliases"), (TherapyProgram, "aliases"), (PolicyDocument, "goals")],
)
def test_json_lists_are_edited_one_entry_per_line(admin_request, model, field):
    assert isinstance(admin_form(model, admin_request).base_fields[field], LinesField)
