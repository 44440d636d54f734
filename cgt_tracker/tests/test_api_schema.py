"""The OpenAPI schema (/api/schema/) and the docs pages that render it without any CDN."""

import json
import re
import shutil
import subprocess

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.templatetags.static import static
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from cgt_tracker.api.urls import router
from programs.choices import Modality, Stage

pytestmark = pytest.mark.django_db

LIST_PATHS = [pytest.param(prefix, viewset, id=prefix) for prefix, viewset, _ in router.registry]


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/", {"format": "json"}).json()


def query_params(schema, path, method="get"):
    return {p["name"]: p for p in schema["paths"][path][method].get("parameters", []) if p["in"] == "query"}


def test_schema_is_valid_openapi_3(schema):
    validate_schema(schema)

    assert schema["openapi"].startswith("3.")


def test_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))


@pytest.mark.parametrize("prefix, viewset", LIST_PATHS)
def test_every_filter_is_a_documented_parameter(schema, prefix, viewset):
    params = query_params(schema, f"/api/{prefix}/")

    paging = {"page", "page_size", "cursor", "fields", "format"}

    assert set(viewset.filterset_class.base_filters) | paging == set(params)


@pytest.mark.parametrize(
    "name, values",
    [("stage", Stage.values), ("stage_min", Stage.values), ("modality", Modality.values)],
)
def test_program_choice_filters_list_their_allowed_values(schema, name, values):
    param = query_params(schema, "/api/programs/")[name]

    assert set(param["schema"].get("items", param["schema"])["enum"]) - {None} == set(values)


def test_program_ordering_lists_its_fields(schema):
    enum = query_params(schema, "/api/programs/")["ordering"]["schema"]["items"]["enum"]

    assert {"name", "-name", "stage", "-stage", "updated", "-updated"} <= set(enum)


@pytest.mark.parametrize(
    "path, method, codes",
    [
        ("/api/programs/", "get", {"200", "304", "400", "401", "404", "429"}),
        ("/api/programs/", "post", {"201", "400", "401", "403", "413", "415", "429"}),
        ("/api/programs/{slug}/", "get", {"200", "304", "400", "401", "404", "429"}),
        ("/api/programs/{slug}/", "put", {"200", "400", "401", "403", "404", "412", "413", "415", "429"}),
        ("/api/programs/{slug}/", "patch", {"200", "400", "401", "403", "404", "412", "413", "415", "429"}),
        ("/api/companies/{slug}/", "delete", {"204", "400", "401", "403", "404", "409", "412", "429"}),
    ],
)
def test_error_responses_are_documented(schema, path, method, codes):
    assert set(schema["paths"][path][method]["responses"]) == codes


def test_throttled_response_documents_its_retry_after_header(schema):
    throttled = schema["paths"]["/api/programs/"]["get"]["responses"]["429"]

    assert throttled["headers"]["Retry-After"]["schema"] == {"type": "integer"}


def test_lists_document_their_csv_variant(schema):
    content = schema["paths"]["/api/programs/"]["get"]["responses"]["200"]["content"]

    assert content["text/csv"]["schema"] == {"type": "string"}


def test_related_records_are_objects_to_read_and_slugs_to_write(schema):
    components = schema["components"]["schemas"]

    assert components["TherapyProgram"]["properties"]["company"]["allOf"][0] == {"$ref": "#/components/schemas/Ref"}
    assert components["TherapyProgramRequest"]["properties"]["company"]["type"] == "string"
    assert "stage" not in components["TherapyProgramRequest"]["properties"]


def test_reads_need_no_credentials_and_writes_do(schema):
    assert {} in schema["paths"]["/api/programs/"]["get"]["security"]
    assert {} not in schema["paths"]["/api/programs/"]["post"]["security"]


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_page_loads_nothing_from_other_sites(path):
    client = APIClient()
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert not re.findall(r"""(?:src|href)=["'](?:https?:)?//""", html)
    for url in re.findall(r"""(?:src|href)=["']([^"']+)["']""", html):
        if url.startswith(static("")):
            assert finders.find(url.removeprefix(static(""))), url
        else:
            assert client.get(url.replace("&amp;", "&")).status_code == 200, url


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_page_runs_only_scripts_from_this_site(path):
    policy = APIClient().get(path)["Content-Security-Policy"]

    assert "script-src 'self';" in policy + ";"


@pytest.mark.parametrize("method, code", [("get", "200"), ("put", "200"), ("patch", "200")])
def test_a_detail_documents_its_etag(schema, method, code):
    headers = schema["paths"]["/api/programs/{slug}/"][method]["responses"][code]["headers"]

    assert headers["ETag"]["required"] is True


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_writes_document_if_match(schema, method):
    parameters = {p["name"]: p for p in schema["paths"]["/api/programs/{slug}/"][method]["parameters"]}

    assert parameters["If-Match"]["in"] == "header"
    assert not parameters["If-Match"].get("required", False)


def test_page_and_page_size_document_their_range(schema):
    params = query_params(schema, "/api/programs/")

    assert params["page"]["schema"]["minimum"] == 1
    assert (params["page_size"]["schema"]["minimum"], params["page_size"]["schema"]["maximum"]) == (1, 500)


def test_a_created_record_links_to_its_detail_operations_with_its_key_and_etag(schema):
    links = schema["paths"]["/api/programs/"]["post"]["responses"]["201"]["links"]

    assert links["partial_update"] == {
        "operationId": "programs_partial_update",
        "parameters": {"path.slug": "$response.body#/slug", "header.If-Match": "$response.header.ETag"},
    }
    assert set(links) == {"retrieve", "update", "partial_update", "destroy"}


def test_an_extra_action_documents_its_errors(schema):
    assert {"404", "429"} <= set(schema["paths"]["/api/sources/{slug}/mentions/"]["get"]["responses"])


def test_fields_lists_the_keys_it_takes(schema):
    fields = query_params(schema, "/api/programs/{slug}/")["fields"]

    assert (fields["style"], fields["explode"]) == ("form", False)  # ?fields=slug,stage
    assert {"slug", "stage", "developments"} <= set(fields["schema"]["items"]["enum"])
    assert fields["schema"]["minItems"] == 1


def test_a_read_with_fields_is_documented_as_the_keys_asked_for(schema):
    detail = schema["paths"]["/api/programs/{slug}/"]["get"]["responses"]["200"]["content"]["application/json"]
    full, sparse = (ref["$ref"].rsplit("/", 1)[1] for ref in detail["schema"]["anyOf"])
    components = schema["components"]["schemas"]

    assert components[full]["required"]
    assert "required" not in components[sparse]
    assert components[sparse]["properties"] == components[full]["properties"]


def test_text_fields_document_what_they_refuse(schema):
    name = schema["components"]["schemas"]["TherapyProgramRequest"]["properties"]["name"]
    pattern = re.compile(name["pattern"])

    assert pattern.search("CNCT19") and pattern.search("CNCT 19")
    assert not pattern.search("   "), "a name trimmed to nothing is refused"
    assert not pattern.search("CNCT\x0019"), "PostgreSQL cannot store a NUL character"


def test_an_indicator_value_is_a_number_that_is_not_negative(schema):
    value = re.compile(schema["components"]["schemas"]["IndicatorRequest"]["properties"]["value"]["pattern"])

    assert all(value.search(number) for number in ("12", "0.25", ".5", "7.", "-0"))
    assert not any(value.search(text) for text in ("", "-", ".", "1.234", "1e5", "-3.5", "-0.01"))


def test_stats_group_by_lists_its_groupings_once_each(schema):
    group_by = query_params(schema, "/api/stats/programs/")["group_by"]["schema"]

    assert group_by["uniqueItems"] is True
    assert set(group_by["items"]["enum"]) == {"stage", "modality", "company", "target", "indication", "country"}


def test_change_paging_documents_its_limits(schema):
    params = query_params(schema, "/api/changes/")

    assert (params["page_size"]["schema"]["minimum"], params["page_size"]["schema"]["maximum"]) == (1, 500)
    assert params["cursor"]["schema"]["minLength"] == 1
    assert params["since"]["schema"]["format"] == "date-time"


def test_free_text_query_parameters_refuse_a_nul_character(schema):
    params = query_params(schema, "/api/indications/")

    assert re.search(params["therapeutic_area"]["schema"]["pattern"], "Oncology")
    assert not re.search(params["search"]["schema"]["pattern"], "CAR\x00T")


# Characters whose class differs between Python's re and ECMA-262 (whitespace, digits), and ordinary ones.
TRICKY = ["\x1c", "\x1d", "\x1f", "\x85", "\ufeff", "\xa0", "\u3000", "\t", " ", "٣", "7", "a"]
# Each alone, and ending or inside a name, an address and a number.
SAMPLES = [text for c in TRICKY for text in (c, f"CNCT{c}", f"{c}19", f"www.example.cn/#{c}", f"1{c}", f"1.{c}5")]


def patterns_in(node):
    """Every ``pattern`` keyword of the schema (``node``), wherever it is."""
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    found = {node["pattern"]} if isinstance(node, dict) and isinstance(node.get("pattern"), str) else set()
    return found.union(*(patterns_in(child) for child in children))


def test_every_schema_pattern_means_to_ecma_262_what_it_means_to_python(schema):
    """Clients read the schema's patterns as ECMA-262 regular expressions, the server checks values with Python's:
    a value one allows and the other refuses breaks the contract. Node.js stands in for the client."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs Node.js (node) to run the schema's patterns as ECMA-262 regular expressions")
    patterns = sorted(patterns_in(schema))
    script = (
        "const [patterns, texts] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(patterns.map(p => texts.map(t => new RegExp(p).test(t)))));"
    )
    run = subprocess.run(
        [node, "-e", script], input=json.dumps([patterns, SAMPLES]), capture_output=True, text=True, check=True
    )
    ecma = json.loads(run.stdout)
    differ = [
        (pattern, text)
        for pattern, matches in zip(patterns, ecma, strict=True)
        for text, matched in zip(SAMPLES, matches, strict=True)
        if matched != bool(re.search(pattern, text))
    ]
    assert len(patterns) >= 5 and not differ
