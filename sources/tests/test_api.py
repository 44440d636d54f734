"""Adding an article through /api/sources/: the slug is made from the title when left out, as for every record."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from sources.models import Source

pytestmark = pytest.mark.django_db

SOURCES = "/api/sources/"
ARTICLE = {"title": "Legend and Ruijin announce an IND approval", "publisher": "Probe News", "text": "Full text."}


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor")
    user.user_permissions.add(Permission.objects.get(codename="add_source"))
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_source_sent_without_a_slug_gets_one_from_its_title(editor):
    response = editor.post(SOURCES, ARTICLE, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "legend-and-ruijin-announce-an-ind-approval"
    assert Source.objects.get().slug == "legend-and-ruijin-announce-an-ind-approval"


def test_a_made_slug_does_not_clash_with_an_existing_one(editor):
    Source.objects.create(slug="legend-and-ruijin-announce-an-ind-approval", title="Another article")

    response = editor.post(SOURCES, ARTICLE, format="json")

    assert response.json()["slug"] == "legend-and-ruijin-announce-an-ind-approval-2"


def test_a_slug_sent_is_kept(editor):
    response = editor.post(SOURCES, {**ARTICLE, "slug": "lb2102-ind"}, format="json")

    assert (response.status_code, response.json()["slug"]) == (201, "lb2102-ind")
