"""Security and robustness of the API and the pages: what test_api_* and test_admin do not already cover.

The records every resource and page is tried on are the conftest's (one full record of every kind, and bare ones).

Covered there: anonymous writes refused on every resource, a user without permissions refused on create and
delete, session POST needing its CSRF token, `stage` not writable on create, page_size capped on programs,
non-staff users kept out of the admin, program search of odd text (test_search).
"""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.db import OperationalError
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from model_bakery import baker
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from cgt_tracker.api.urls import router
from cgt_tracker.api.viewsets import protected_message
from companies.models import Company
from programs.api import TherapyProgramViewSet
from programs.models import Milestone, Target, TherapyProgram
from programs.tests.factories import develop, make_program
from programs.views import ProgramListView
from sources.models import Source

pytestmark = pytest.mark.django_db

RESOURCES = [pytest.param(viewset, basename, id=prefix) for prefix, viewset, basename in router.registry]
SEARCHABLE = [
    pytest.param(basename, id=prefix)
    for prefix, viewset, basename in router.registry
    if "search" in viewset.filterset_class.base_filters
]
LIST_PAGES = ["/programs/", "/companies/", "/institutions/", "/collaborations/", "/policies/", "/sources/"]

ODD_SEARCHES = [
    pytest.param("'; DROP TABLE programs_therapyprogram; --", id="sql"),
    pytest.param("%", id="percent"),
    pytest.param("_", id="underscore"),
    pytest.param("\\", id="backslash"),
    pytest.param("100%_done\\", id="mixed-wildcards"),
    pytest.param("细胞治疗", id="chinese"),
    pytest.param("🧬 CAR-T 🧪", id="emoji"),
    pytest.param("טיפול גנטי علاج", id="rtl"),
    pytest.param("\u202ecd19", id="rtl-override"),
]
NUL = "cd\x0019"
LONG_AGO = "2000-01-01T00:00:00Z"


@pytest.fixture
def superuser():
    return User.objects.create_superuser("admin", password="pw")


def list_url(basename):
    return reverse(f"api:{basename}-list")


def detail_url(viewset, basename, obj):
    lookup = viewset.lookup_field
    return reverse(f"api:{basename}-detail", kwargs={lookup: getattr(obj, lookup)})


def model_of(viewset):
    return viewset.queryset.model


def snapshot(viewset):
    return list(model_of(viewset)._default_manager.order_by("pk").values())


# --- permissions --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("viewset, basename", RESOURCES)
def test_permission_to_add_does_not_allow_changing(api, records, viewset, basename, method):
    model = model_of(viewset)
    user = User.objects.create_user("adder", password="pw")
    user.user_permissions.add(Permission.objects.get(codename=f"add_{model._meta.model_name}"))
    api.force_authenticate(user)
    url = detail_url(viewset, basename, model._default_manager.first())
    before = snapshot(viewset)

    response = getattr(api, method)(url, {}, format="json")

    assert response.status_code == 403
    assert snapshot(viewset) == before


# --- mass assignment ----------------------------------------------------------------------


@pytest.mark.parametrize("field", ["created", "updated"])
@pytest.mark.parametrize("viewset, basename", RESOURCES)
def test_time_stamps_cannot_be_written_on_update(api, records, superuser, viewset, basename, field):
    obj = model_of(viewset)._default_manager.first()
    api.force_authenticate(superuser)

    response = api.patch(detail_url(viewset, basename, obj), {field: LONG_AGO}, format="json")

    assert response.status_code == 200, response.data
    obj.refresh_from_db()
    assert getattr(obj, field) > datetime(2001, 1, 1, tzinfo=UTC)


def create_program(api, user, **fields):
    api.force_authenticate(user)
    body = {"name": "Zeta CAR-T", "modality": "car_t", "sources": [baker.make(Source).slug], **fields}
    response = api.post("/api/programs/", body, format="json")
    assert response.status_code == 201, response.data
    return TherapyProgram.objects.get(slug="zeta-car-t")


@pytest.mark.parametrize("field", ["created", "updated"])
def test_time_stamps_cannot_be_written_on_create(api, superuser, field):
    program = create_program(api, superuser, **{field: LONG_AGO})

    assert timezone.now() - getattr(program, field) < timedelta(minutes=5)


def test_search_text_cannot_be_written_on_create(api, superuser):
    program = create_program(api, superuser, search_document="planted-search-text")

    assert "planted" not in program.search_document


@pytest.mark.parametrize(
    "field, value", [("stage", "approved"), ("search_document", "planted-search-text")], ids=["stage", "search"]
)
def test_derived_program_fields_cannot_be_written_on_update(api, superuser, field, value):
    program = make_program("Derived CAR-T", sources=[baker.make(Source)])
    develop(program, "phase_2")
    api.force_authenticate(superuser)
    before = getattr(TherapyProgram.objects.get(slug="derived-car-t"), field)

    response = api.patch("/api/programs/derived-car-t/", {field: value}, format="json")

    assert response.status_code == 200, response.data
    after = getattr(TherapyProgram.objects.get(slug="derived-car-t"), field)
    assert after == before != value


# --- pages of results ---------------------------------------------------------------------


@pytest.mark.parametrize("page_size", ["100000000000000000000000", "501", "-5", "0", "1e9", "ten", "2.0", ""])
@pytest.mark.parametrize("viewset, basename", RESOURCES)
def test_absurd_page_size_is_refused_not_replaced(api, viewset, basename, page_size):
    response = api.get(list_url(basename), {"page_size": page_size})

    assert response.status_code == 400
    assert "page_size" in response.json()


@pytest.mark.parametrize("page", ["1.0", "0", "-1", "one", "last", "1e3", ""])
def test_a_page_number_that_is_not_a_whole_number_from_1_is_refused(api, page):
    response = api.get(list_url("therapyprogram"), {"page": page})

    assert response.status_code == 400
    assert "page" in response.json()


@pytest.mark.parametrize("page", ["999", "74562659499301697392677486592", "9" * 5000])
def test_a_page_number_past_the_end_however_long_is_no_such_page(api, page):
    response = api.get(list_url("therapyprogram"), {"page": page})

    assert response.status_code == 404


# --- hostile search strings ---------------------------------------------------------------


@pytest.mark.parametrize("search", ODD_SEARCHES)
@pytest.mark.parametrize("basename", SEARCHABLE)
def test_odd_search_string_is_searched_for_in_the_api(api, full_records, basename, search):
    assert api.get(list_url(basename), {"search": search}).status_code == 200


@pytest.mark.parametrize("search", ODD_SEARCHES)
@pytest.mark.parametrize("url", LIST_PAGES)
def test_odd_search_string_is_searched_for_on_the_pages(client, full_records, url, search):
    assert client.get(url, {"search": search}).status_code == 200


@pytest.mark.parametrize("wildcard", ["%", "_"])
@pytest.mark.parametrize("basename", SEARCHABLE)
def test_like_wildcards_match_only_themselves(api, records, basename, wildcard):
    everything = api.get(list_url(basename)).data["count"]

    assert api.get(list_url(basename), {"search": wildcard}).data["count"] < everything


@pytest.mark.parametrize("basename", SEARCHABLE)
def test_nul_byte_in_an_api_search_is_a_400_on_the_search_parameter(api, basename):
    response = api.get(list_url(basename), {"search": NUL})

    assert response.status_code == 400
    assert list(response.json()) == ["search"]


@pytest.mark.parametrize("url", LIST_PAGES)
def test_nul_byte_in_a_page_search_is_reported_and_ignored(client, url):
    response = client.get(url, {"search": NUL})

    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()


# --- odd requests get API errors -----------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "DELETE"])
@pytest.mark.parametrize(
    "path", ["/api/developments/-2.5e-3/", "/api/programs/cnct19/extra/", "/api/no-such-resource/"]
)
def test_unknown_api_path_is_a_json_404(path, method):
    response = APIClient(enforce_csrf_checks=True).generic(method, path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_api_path_without_its_slash_is_still_redirected(api):
    response = api.get("/api/programs")

    assert response.status_code == 301
    assert response["Location"] == "/api/programs/"


@pytest.mark.parametrize("viewset, basename", RESOURCES)
def test_unsupported_method_is_405_whatever_the_format_asked(api, superuser, viewset, basename):
    api.force_authenticate(superuser)

    response = api.generic("TRACE", list_url(basename) + "?format=csv")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("viewset, basename", RESOURCES)
def test_nul_byte_in_a_record_key_is_a_404(api, viewset, basename):
    lookup = "1\x00" if viewset.lookup_field == "pk" else "cd19\x00"

    response = api.get(reverse(f"api:{basename}-detail", kwargs={viewset.lookup_field: lookup}))

    assert response.status_code == 404


ID_RESOURCES = [param for param in RESOURCES if param.values[0].lookup_field == "pk"]


@pytest.mark.parametrize("viewset, basename", ID_RESOURCES)
@pytest.mark.parametrize("key", ["2562577622002081986510848", "9223372036854775808", "\u00b2", "\u0663"])
def test_an_id_no_id_column_can_hold_is_a_404(api, viewset, basename, key):
    """Too large for a 64-bit id, or digits Python reads but SQL does not (a superscript two, an Arabic three)."""
    response = api.get(reverse(f"api:{basename}-detail", kwargs={viewset.lookup_field: key}))

    assert response.status_code == 404


@pytest.mark.parametrize("viewset, basename", ID_RESOURCES)
@pytest.mark.parametrize("method", ["patch", "delete"])
def test_a_write_to_an_id_no_id_column_can_hold_is_a_404(api, superuser, viewset, basename, method):
    api.force_authenticate(superuser)
    url = reverse(f"api:{basename}-detail", kwargs={viewset.lookup_field: "2562577622002081986510848"})

    response = getattr(api, method)(url, {}, format="json")

    assert response.status_code == 404


@pytest.fixture
def cd19():
    return baker.make(Target, symbol="CD19")


@pytest.mark.parametrize("field, value", [("company", "acme\x00"), ("targets", ["CD19\x00"])])
def test_nul_byte_in_a_related_key_is_a_400_on_that_field(api, superuser, cd19, field, value):
    baker.make(Company, name="Acme", slug="acme")
    api.force_authenticate(superuser)
    body = {"name": "Zeta CAR-T", "modality": "car_t", "sources": [baker.make(Source).slug], field: value}

    response = api.post("/api/programs/", body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_refusal_to_delete_leaves_out_blockers_deleted_meanwhile():
    source = baker.make(Source)
    gone, kept = (baker.make(Milestone, source=source, program__name=name) for name in ("Gone CAR-T", "Kept CAR-T"))
    collected = list(Milestone.objects.filter(source=source))  # as the deletion saw them, programs not loaded
    gone.program.delete()

    message = protected_message(source, ProtectedError("protected", collected))

    assert f"(milestones: {kept})" in message
    assert "Gone CAR-T" not in message


# --- CSRF ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_session_write_without_csrf_token_is_refused(superuser, cd19, method):
    api = APIClient(enforce_csrf_checks=True)
    api.login(username="admin", password="pw")
    before = list(Target.objects.values())

    response = getattr(api, method)("/api/targets/CD19/", {"symbol": "CD19", "name": "Changed"}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert list(Target.objects.values()) == before


def test_admin_change_without_csrf_token_is_refused(superuser, cd19):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(superuser)
    target = cd19

    response = browser.post(
        reverse("admin:programs_target_change", args=[target.pk]), {"symbol": "CD19", "name": "Changed"}
    )

    assert response.status_code == 403
    target.refresh_from_db()
    assert target.name != "Changed"


# --- throttling ---------------------------------------------------------------------------


@pytest.fixture
def rates(monkeypatch):
    """Set the throttle rates for a test (DRF reads them into the throttle class when it is imported)."""

    def set_rates(anon, user):
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": anon, "user": user})

    return set_rates


def test_anonymous_client_over_its_rate_gets_429_with_retry_after(api, rates):
    rates(anon="2/minute", user="1000/minute")

    statuses = [api.get("/api/programs/").status_code for _ in range(2)]
    throttled = api.get("/api/programs/")

    assert statuses == [200, 200]
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert throttled.json() == {
        "detail": f"Request was throttled. Expected available in {throttled['Retry-After']} seconds."
    }


def signed_in_with_token(user):
    """A client as a real API client signs in: with a token in the Authorization header."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_signed_in_user_over_its_rate_gets_429(rates, superuser):
    rates(anon="1000/minute", user="2/minute")
    api = signed_in_with_token(superuser)

    statuses = [api.get("/api/programs/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_throttling_counts_each_client_separately(api, rates, superuser):
    rates(anon="1/minute", user="1/minute")
    api.get("/api/programs/")

    assert signed_in_with_token(superuser).get("/api/programs/").status_code == 200


# --- database unavailable -----------------------------------------------------------------


def unreachable(*args, **kwargs):
    raise OperationalError("connection refused")


def test_api_answers_503_in_json_while_the_database_is_unreachable(api, monkeypatch):
    monkeypatch.setattr(TherapyProgramViewSet, "get_queryset", unreachable)

    response = api.get("/api/programs/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "temporarily unavailable" in response.json()["detail"]


def test_page_answers_503_in_html_while_the_database_is_unreachable(client, monkeypatch):
    monkeypatch.setattr(ProgramListView, "get_queryset", unreachable)

    response = client.get("/programs/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    assert "Temporarily unavailable" in response.content.decode()


def test_other_errors_are_not_passed_off_as_503(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(ProgramListView, "get_queryset", broken)

    with pytest.raises(ValueError, match="a bug"):
        client.get("/programs/")


# --- production settings ------------------------------------------------------------------


def manage(*args, **env):
    """Run manage.py in a fresh process with the given environment (production settings are read at start)."""
    environ = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="deploy-check-" + "k3y" * 20,
        DJANGO_ALLOWED_HOSTS="example.org",
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="example.org")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_a_target_symbol_that_cannot_be_in_a_url_is_refused(db):
    # Found by Schemathesis: a symbol with a dot made every later list of targets fail with a 500.
    admin = User.objects.create_superuser("symbols", password="pw")
    api = APIClient()
    api.force_authenticate(admin)
    response = api.post("/api/targets/", {"symbol": "-1.7e+16"}, format="json")
    assert response.status_code == 400
    assert "symbol" in response.json()
    assert api.get("/api/targets/").status_code == 200
