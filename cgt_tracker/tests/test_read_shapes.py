"""Read shapes: every resource's list and detail JSON is what the DRF serializers (the write side, and
the contract before reads were rebuilt) make of the same record, with the keys the API schema documents.

The records (conftest): one of every kind with every field filled, and bare ones beside them."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from cgt_tracker.api.shapes import ReadContext
from cgt_tracker.api.urls import router
from cgt_tracker.formulas import escape_formula
from programs.api import TARGET_SHAPE
from programs.models import Target, TherapyProgram

pytestmark = pytest.mark.django_db

RESOURCES = [pytest.param(prefix, viewset, id=prefix) for prefix, viewset, _ in router.registry]


def serialized(viewset, obj, params=None):
    """What the resource's DRF serializer makes of ``obj``: the JSON as it was before reads were rebuilt."""
    request = Request(APIRequestFactory().get("/", params or {}))
    data = viewset.serializer_class(obj, context={"request": request}).data
    return json.loads(JSONRenderer().render(data))


def everything(viewset):
    model = viewset.queryset.model
    return {getattr(obj, viewset.shape.lookup): obj for obj in viewset.queryset.all()}, model


def documented_keys(schema, prefix):
    components = schema["components"]["schemas"]

    def component(ref):
        return components[ref.rsplit("/", 1)[1]]

    page = component(
        schema["paths"][f"/api/{prefix}/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    )
    full, _sparse = page["properties"]["results"]["items"]["anyOf"]  # the record, or only the `fields` asked for
    return set(component(full["$ref"])["properties"])


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/", {"format": "json"}).json()


@pytest.mark.parametrize("prefix, viewset", RESOURCES)
def test_every_listed_record_is_what_the_serializer_makes_of_it(records, prefix, viewset):
    by_key, model = everything(viewset)
    listed = APIClient().get(reverse(f"api:{model._meta.model_name}-list"), {"page_size": 500}).json()["results"]

    assert len(listed) == len(by_key) > 0
    for item in listed:
        key = item["url"].rstrip("/").rsplit("/", 1)[1]
        assert item == serialized(viewset, by_key[type(next(iter(by_key)))(key)])


@pytest.mark.parametrize("prefix, viewset", RESOURCES)
def test_every_detail_is_what_the_serializer_makes_of_it(records, prefix, viewset):
    by_key, model = everything(viewset)
    api = APIClient()
    for key, obj in by_key.items():
        url = reverse(f"api:{model._meta.model_name}-detail", kwargs={viewset.lookup_field: key})
        assert api.get(url).json() == serialized(viewset, obj)


@pytest.mark.parametrize("prefix, viewset", RESOURCES)
def test_records_have_exactly_the_documented_keys(records, schema, prefix, viewset):
    listed = APIClient().get(f"/api/{prefix}/").json()["results"]

    assert {frozenset(item) for item in listed} == {frozenset(documented_keys(schema, prefix))}


def test_links_keep_the_format_parameter_as_drf_does(full_records):
    viewset = {prefix: vs for prefix, vs, _ in router.registry}["programs"]
    program = TherapyProgram.objects.get(slug="full-program")

    detail = APIClient().get("/api/programs/full-program/", {"format": "json"}).json()

    assert detail == serialized(viewset, program, {"format": "json"})
    assert detail["developments"][0]["url"].endswith("/?format=json")


def test_only_staff_read_an_articles_text(full_records, django_user_model):
    staff = APIClient()
    token = Token.objects.create(user=django_user_model.objects.create_user("editor", is_staff=True))
    staff.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert "text" not in APIClient().get("/api/sources/full-source/").json()
    assert staff.get("/api/sources/full-source/").json()["text"].startswith("Full text")
    assert APIClient().get("/api/sources/", {"fields": "slug,text"}).status_code == 400


def test_json_escapes_line_separators_as_drf_did(full_records):
    body = APIClient().get("/api/sources/full-source/").content

    assert b"\\u2028" in body and "\u2028".encode() not in body


@pytest.mark.parametrize("prefix, viewset", RESOURCES)
def test_every_csv_row_is_its_json_record_flattened(records, prefix, viewset):
    """The CSV reads nested lists leaner (only what a cell shows); the cells still say what the JSON says."""
    api = APIClient()
    listed = api.get(f"/api/{prefix}/", {"page_size": 500}).json()["results"]
    body = b"".join(api.get(f"/api/{prefix}/", {"format": "csv"}).streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))

    assert len(rows) == len(listed) > 0
    for item, row in zip(listed, rows, strict=True):
        for name, field in viewset.shape.select(item).items():
            assert row[name] == escape_formula(str(field.csv(item[name]))), name


@pytest.mark.parametrize(
    "stamp",
    [
        datetime(2026, 11, 1, 10, 0, 0, tzinfo=UTC),
        datetime(2026, 11, 1, 10, 0, 0, 500000, tzinfo=UTC),
        datetime(2026, 11, 1, 18, 0, 0, 123, tzinfo=timezone(timedelta(hours=8))),
    ],
    ids=["whole-second", "half-second", "microseconds-abroad"],
)
def test_the_database_writes_timestamps_as_drf_did(full_records, stamp):
    """The database formats ``created``/``updated``; DRF leaves out a zero fraction and writes UTC as Z."""
    viewset = {prefix: vs for prefix, vs, _ in router.registry}["programs"]
    TherapyProgram.objects.filter(slug="full-program").update(created=stamp)

    detail = APIClient().get("/api/programs/full-program/").json()

    assert detail["created"] == serialized(viewset, TherapyProgram.objects.get(slug="full-program"))["created"]
    assert detail["created"] == stamp.astimezone(UTC).isoformat().replace("+00:00", "Z")


def test_records_are_read_by_keys_holding_quotes_commas_braces_and_backslashes():
    """Keys travel to the database as one array parameter: each must arrive whole, whatever it holds."""
    symbols = ['A"B', "C,D", "{E}", "F\\G", "H I", "NULL"]
    Target.objects.bulk_create(Target(symbol=symbol, name=f"Target {symbol}") for symbol in symbols)

    read = TARGET_SHAPE.build_keys([*reversed(symbols), "absent"], ReadContext(None), lookup="symbol")

    assert [item["symbol"] for item in read] == list(reversed(symbols))
