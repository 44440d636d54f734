"""A source that any record cites, by any link, cannot be deleted: nothing would be left to back the record."""

import pytest
from django.contrib.auth.models import User
from django.db.models import ProtectedError
from django.test import Client
from model_bakery import baker
from rest_framework.test import APIClient

from programs.models import Milestone
from sources.models import Source

pytestmark = pytest.mark.django_db

CITING = [
    ("companies.Company", "company"),
    ("companies.Institution", "institution"),
    ("companies.Collaboration", "collaboration"),
    ("programs.TherapyProgram", "therapy program"),
    ("policies.PolicyDocument", "policy document"),
]


@pytest.fixture
def superuser():
    return User.objects.create_superuser("admin-del", password="pw")


@pytest.fixture
def source():
    return baker.make(Source, slug="cited-source", title="A cited article")


@pytest.mark.parametrize("model, kind", CITING)
def test_a_source_in_a_records_source_list_cannot_be_deleted_through_the_api(superuser, source, model, kind):
    record = baker.make(model, slug="citing-record")
    record.sources.add(source)
    api = APIClient()
    api.force_authenticate(superuser)

    response = api.delete("/api/sources/cited-source/")

    assert response.status_code == 409
    assert str(record) in response.json()["detail"]
    assert Source.objects.filter(pk=source.pk).exists()
    assert list(record.sources.all()) == [source]


def test_a_source_no_record_cites_can_be_deleted(superuser, source):
    api = APIClient()
    api.force_authenticate(superuser)

    assert api.delete("/api/sources/cited-source/").status_code == 204
    assert not Source.objects.filter(pk=source.pk).exists()


def test_the_admin_refuses_to_delete_a_cited_source_and_names_the_citing_records(superuser, source):
    program = baker.make("programs.TherapyProgram", slug="citing-program", name="Citing program")
    program.sources.add(source)
    client = Client()
    client.force_login(superuser)
    url = f"/admin/sources/source/{source.pk}/delete/"

    page = client.get(url).content.decode()
    client.post(url, {"post": "yes"})

    assert "Cannot delete source" in page
    assert "Therapy program: <a" in page and "Citing program" in page
    assert Source.objects.filter(pk=source.pk).exists()


def test_a_source_cited_by_a_milestone_cannot_be_deleted(source):
    program = baker.make("programs.TherapyProgram", name="Test CAR-T", modality="car_t")
    Milestone.objects.create(program=program, kind="approved", source=source)
    with pytest.raises(ProtectedError):
        source.delete()
