"""What every resource of the API does, checked on each one the router serves (records of every kind: conftest)."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cgt_tracker.api.urls import router

pytestmark = pytest.mark.django_db

RESOURCES = [pytest.param(viewset, id=prefix) for prefix, viewset, _ in router.registry]


def model_of(viewset):
    return viewset.queryset.model


def list_url(viewset):
    return reverse(f"api:{model_of(viewset)._meta.model_name}-list")


def detail_url(viewset, obj):
    lookup = viewset.lookup_field
    return reverse(f"api:{model_of(viewset)._meta.model_name}-detail", kwargs={lookup: getattr(obj, lookup)})


def snapshot(viewset):
    return list(model_of(viewset)._default_manager.order_by("pk").values())


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def user():
    return User.objects.create_user("reader", password="pw")


@pytest.mark.parametrize("viewset", RESOURCES)
def test_list_is_paginated(api, records, viewset):
    response = api.get(list_url(viewset))

    assert response.status_code == 200
    assert set(response.data) == {"count", "next", "previous", "results"}
    assert response.data["count"] == model_of(viewset)._default_manager.count() > 0


@pytest.mark.parametrize("viewset", RESOURCES)
def test_every_listed_record_links_to_its_detail(api, records, viewset):
    for row in api.get(list_url(viewset), {"page_size": 500}).data["results"]:
        response = api.get(row["url"])

        assert response.status_code == 200
        assert response.data == row


@pytest.mark.parametrize("viewset", RESOURCES)
def test_detail_is_addressed_by_the_record_key(api, records, viewset):
    obj = model_of(viewset)._default_manager.first()

    response = api.get(detail_url(viewset, obj))

    assert response.status_code == 200
    assert response.data["url"].endswith(detail_url(viewset, obj))


@pytest.mark.parametrize("viewset", RESOURCES)
def test_unknown_record_is_404(api, viewset):
    url = list_url(viewset) + ("999999/" if viewset.lookup_field == "pk" else "no-such-record/")

    response = api.get(url)

    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("viewset", RESOURCES)
def test_csv_has_every_row_of_every_page(api, records, viewset):
    response = api.get(list_url(viewset), {"format": "csv", "page_size": 1})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    rows = csv_rows(response)
    assert len(rows) == model_of(viewset)._default_manager.count()
    # The JSON's keys, in order, each coded one followed by its label (``stage``, ``stage_label``).
    columns = list(rows[0])
    codes = [column for column in columns if column.removesuffix("_label") == column or column[:-6] not in columns]
    assert codes == list(api.get(list_url(viewset)).data["results"][0])


@pytest.mark.parametrize("viewset", RESOURCES)
def test_csv_is_also_chosen_by_accept_header(api, records, viewset):
    response = api.get(list_url(viewset), HTTP_ACCEPT="text/csv")

    assert response["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("viewset", RESOURCES)
def test_detail_has_no_csv(api, records, viewset):
    obj = model_of(viewset)._default_manager.first()

    assert api.get(detail_url(viewset, obj), {"format": "csv"}).status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("viewset", RESOURCES)
def test_anonymous_cannot_change_a_record(api, records, viewset, method):
    obj = model_of(viewset)._default_manager.first()
    url = detail_url(viewset, obj)
    body = api.get(url).data
    before = snapshot(viewset)

    response = getattr(api, method)(url, body, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert snapshot(viewset) == before


@pytest.mark.parametrize("viewset", RESOURCES)
def test_anonymous_cannot_create_a_record(api, records, viewset):
    body = api.get(list_url(viewset)).data["results"][0]
    before = snapshot(viewset)

    response = api.post(list_url(viewset), body, format="json")

    assert response.status_code == 401
    assert snapshot(viewset) == before


@pytest.mark.parametrize("viewset", RESOURCES)
def test_user_without_the_model_permission_is_refused(api, records, user, viewset):
    obj = model_of(viewset)._default_manager.first()
    api.force_authenticate(user)
    before = snapshot(viewset)

    assert api.post(list_url(viewset), {}, format="json").status_code == 403
    assert api.delete(detail_url(viewset, obj)).status_code == 403
    assert snapshot(viewset) == before


def test_token_authenticates_a_write(api, user):
    user.user_permissions.add(Permission.objects.get(codename="add_target"))
    token = Token.objects.create(user=user)

    response = api.post("/api/targets/", {"symbol": "BCMA"}, format="json", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 201


def test_session_authenticates_a_write_with_its_csrf_token(user):
    user.user_permissions.add(Permission.objects.get(codename="add_target"))
    api = APIClient(enforce_csrf_checks=True)
    api.login(username="reader", password="pw")

    refused = api.post("/api/targets/", {"symbol": "BCMA"}, format="json")
    api.get("/api/targets/", {"format": "api"})  # the browsable API sets the CSRF cookie
    accepted = api.post(
        "/api/targets/", {"symbol": "BCMA"}, format="json", HTTP_X_CSRFTOKEN=api.cookies["csrftoken"].value
    )

    assert refused.status_code == 403
    assert accepted.status_code == 201


def test_api_root_lists_the_resources(api):
    response = api.get("/api/")

    assert response.status_code == 200
    assert {prefix for prefix, _, _ in router.registry} <= set(response.data)


@pytest.mark.parametrize("viewset", RESOURCES)
def test_browsable_api_renders_for_an_editor(api, records, viewset):
    api.force_authenticate(User.objects.create_superuser("admin", password="pw"))
    obj = model_of(viewset)._default_manager.first()

    assert api.get(list_url(viewset), {"format": "api"}).status_code == 200
    assert api.get(detail_url(viewset, obj), {"format": "api"}).status_code == 200
