"""Chinese (zh-hans) and English: the language follows the language cookie or Accept-Language; codes never change."""

import csv
import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils import translation
from model_bakery import baker
from rest_framework.test import APIClient

from cgt_tracker.models import DatePrecision, format_partial_date
from companies.models import Collaboration, Company, Institution
from policies.models import PolicyDocument
from programs.choices import Pathway, Stage
from programs.models import Development, Indication, Milestone, Target, TherapyProgram
from sources.models import Source

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
JULY_2 = datetime.date(2021, 7, 2)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def program():
    """A phase 2 program whose milestone is dated to the month."""
    program = baker.make(TherapyProgram, name="Tongue Twister CAR-T", slug="tongue-twister", modality="car_t")
    baker.make(Development, program=program, indication=None, stage=Stage.PHASE_2, country="China")
    baker.make(
        Milestone,
        program=program,
        kind="ind_approved",
        date=JULY_2,
        date_precision=DatePrecision.MONTH,
        source=baker.make(Source),
    )
    return program


def html_lang(response):
    return re.search(r"<html lang=\"([^\"]+)\"", response.content.decode())[1]


@pytest.mark.parametrize(
    ("precision", "english", "chinese"),
    [
        (DatePrecision.DAY, "July 2, 2021", "2021年7月2日"),
        (DatePrecision.MONTH, "July 2021", "2021年7月"),
        (DatePrecision.YEAR, "2021", "2021年"),
    ],
)
def test_partial_dates_read_naturally_in_each_language(precision, english, chinese):
    with translation.override("en"):
        assert format_partial_date(JULY_2, precision) == english
    with translation.override("zh-hans"):
        assert format_partial_date(JULY_2, precision) == chinese


def test_iso_partial_dates_are_the_same_in_every_language():
    with translation.override("zh-hans"):
        assert format_partial_date(JULY_2, DatePrecision.MONTH, iso=True) == "2021-07"


def test_choice_labels_are_chinese_in_chinese_and_values_stay_codes():
    with translation.override("zh-hans"):
        assert str(Stage.PHASE_1_2.label) == "I/II期"
        assert str(Stage.NDA_FILED.label) == "上市申请已提交"
        assert str(Pathway.INVESTIGATOR_INITIATED.label) == "研究者发起的临床研究 (国家卫健委备案)"
        assert Stage.PHASE_1_2.value == "phase_1_2"
    with translation.override("en"):
        assert str(Stage.PHASE_1_2.label) == "Phase 1/2"


def test_model_labels_and_validation_messages_are_chinese_in_chinese():
    with translation.override("zh-hans"):
        assert str(TherapyProgram._meta.verbose_name_plural) == "在研项目"
        assert str(TherapyProgram._meta.get_field("modality").verbose_name) == "治疗类型"
        milestone = Milestone(date=None, date_precision=DatePrecision.MONTH)
        with pytest.raises(Exception) as error:
            milestone.clean()
        assert "只有填写日期时，日期精度才有意义。" in str(error.value)


@pytest.mark.parametrize(("headers", "lang"), [(ZH, "zh-hans"), (EN, "en"), ({}, "en")])
def test_a_page_is_in_the_language_the_browser_asks_for(client, headers, lang):
    response = client.get("/programs/", **headers)
    assert html_lang(response) == lang
    assert response["Content-Language"] == lang


def test_every_page_has_a_language_switch_that_keeps_the_url_and_its_filters(client):
    response = client.get("/programs/?stage=phase_2&modality=car_t", **ZH)
    form = re.search(
        r'<form class="language-switch" action="([^"]+)" method="post".*?</form>', response.content.decode(), re.S
    )
    assert form[1] == "/i18n/setlang/"
    assert 'name="next" value="/programs/?stage=phase_2&amp;modality=car_t"' in form[0]
    assert 'value="en"' in form[0] and 'value="zh-hans"' in form[0]


def test_switching_language_returns_to_the_same_page_in_that_language(client):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/programs/?stage=phase_2"})
    assert response.status_code == 302
    assert response["Location"] == "/programs/?stage=phase_2"
    # The choice is remembered, whatever the browser's Accept-Language says.
    assert html_lang(client.get(response["Location"], **EN)) == "zh-hans"


def test_an_unknown_page_says_so_in_chinese(client):
    response = client.get("/no-such-page/", **ZH)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert html_lang(response) == "zh-hans"


def test_the_admin_labels_fields_in_chinese(client):
    client.force_login(User.objects.create_superuser("editor", "editor@example.org", "pw"))
    page = client.get("/admin/programs/therapyprogram/add/", **ZH).content.decode()
    assert "治疗类型" in page and "细胞来源" in page
    assert "Cell source" not in page


def test_api_codes_and_field_names_stay_the_same_and_labels_follow_the_language(api, program):
    url = f"/api/programs/{program.slug}/"
    english, chinese = api.get(url, **EN).json(), api.get(url, **ZH).json()
    assert chinese.keys() == english.keys()
    assert chinese["stage"] == english["stage"] == "phase_2"
    assert chinese["modality"] == "car_t"
    assert english["milestones"][0]["date_display"] == "July 2021"
    assert chinese["milestones"][0]["date_display"] == "2021年7月"


def test_the_response_cache_never_serves_one_language_to_the_other(api, program):
    url = f"/api/programs/{program.slug}/"
    for _ in range(2):  # the second round is answered from the cache
        assert api.get(url, **ZH).json()["milestones"][0]["date_display"] == "2021年7月"
        assert api.get(url, **EN).json()["milestones"][0]["date_display"] == "July 2021"


@pytest.mark.parametrize("url", ["/api/programs/", "/api/programs/?stage=nope", "/api/companies/no-such-company/"])
def test_api_responses_vary_on_language_and_cookies(api, url):
    for _ in range(2):  # a fresh response and (for the list) a cached one
        vary = {value.strip() for value in api.get(url, **ZH)["Vary"].split(",")}
        assert {"Accept-Language", "Cookie"} <= vary


def test_api_error_messages_follow_the_language(api):
    assert api.get("/api/programs/?stage=nope", **EN).json()["stage"][0].startswith("Select a valid choice")
    assert "选择一个有效的选项" in api.get("/api/programs/?stage=nope", **ZH).json()["stage"][0]


def test_csv_keeps_its_column_names_and_file_name_in_chinese(api, program):
    url = "/api/programs/?format=csv&search=Tongue+Twister"
    english, chinese = api.get(url, **EN), api.get(url, **ZH)
    assert (
        chinese["Content-Disposition"]
        == english["Content-Disposition"]
        == 'attachment; filename="therapy-programs.csv"'
    )
    english_rows = list(csv.reader(io.StringIO(b"".join(english.streaming_content).decode())))
    chinese_rows = list(csv.reader(io.StringIO(b"".join(chinese.streaming_content).decode())))
    assert chinese_rows[0] == english_rows[0]
    assert "stage" in chinese_rows[0]
    assert any("2021年7月" in cell for cell in chinese_rows[1])


def test_openapi_descriptions_follow_the_language(api):
    chinese = api.get("/api/schema/?format=json", **ZH).json()
    english = api.get("/api/schema/?format=json", **EN).json()
    assert chinese["info"]["description"].startswith("中国细胞与基因治疗")
    assert english["info"]["description"].startswith("Cell and gene therapy programs in China")
    assert chinese["paths"].keys() == english["paths"].keys()
    assert chinese["components"]["schemas"].keys() == english["components"]["schemas"].keys()


# Words that read the same in a Chinese interface: acronyms and product-class names analysts use as they are.
LATIN_TERMS_IN_CHINESE = {
    *("CGT", "CAR-T", "CAR-NK", "NK", "TCR-T", "TIL", "iPSC", "IND", "NDA", "NMPA", "CDMO", "CRO", "CSV", "API"),
    *("ISO", "slug", "Slug", "http", "Atom", "BTD", "II", "III"),  # II: I/II期, II/III期; Slug: an admin label
    *("CDE", "CTR", "NCT"),  # the drug evaluation centre; registry number prefixes (CTR…, NCT…)
}
RECORD_APPS = ("sources", "companies", "programs", "policies", "evidence")


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and the attributes read aloud, outside anything marked English
    and outside code (an API path is the same in every language)."""

    SPOKEN = ("aria-label", "title", "alt", "placeholder", "data-label")  # data-label: column names on phones

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "style", "code"} or attrs.get("lang", "").startswith("en"):
            self.skip.append(tag)
        elif not self.skip:
            self.parts += [attrs[name] for name in self.SPOKEN if attrs.get(name)]

    def handle_endtag(self, tag):
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def record_data():
    """Every text value of every record: names, titles, descriptions, quotes stay as the sources give them."""
    values = set()
    for model in apps.get_models():
        if model._meta.app_label not in RECORD_APPS or model.__name__.startswith("Historical"):
            continue
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        lists = [f.name for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        for row in model._default_manager.values(*fields, *lists):
            for name, value in row.items():
                values.update(value if name in lists and isinstance(value, list) else [value])
    return sorted((str(value) for value in values if value), key=len, reverse=True)


def english_interface_words(html):
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    text = re.sub(r"\bhttps?://\S+", " ", text)  # addresses, such as the one in the citation example on /about/
    for value in [*record_data(), settings.DATA_LICENSE]:
        value = " ".join(value.split())
        # Whole values, and the first words of long ones (lists shorten titles with ``truncatewords``).
        text = text.replace(value, " ").replace(" ".join(value.split()[:8]) + " …", " ")
    words = re.findall(r"[A-Za-z][A-Za-z0-9'’-]*[A-Za-z0-9]|[A-Za-z]", text)
    return sorted({word for word in words if word not in LATIN_TERMS_IN_CHINESE and len(word) > 1})


def chinese_pages():
    """Every kind of public page: lists, details, the landscapes, comparisons, the about page."""
    program = TherapyProgram.objects.filter(stage__isnull=False).order_by("name").first()
    linked = TherapyProgram.objects.filter(policy_links__isnull=False).order_by("name").first()  # "Funds"/"Names"
    first, second = TherapyProgram.objects.order_by("name")[:2]
    details = [
        model.objects.order_by("pk").first().get_absolute_url()
        for model in (Target, Indication, Company, Institution, Collaboration, Source)
    ]
    policy = PolicyDocument.objects.filter(links__isnull=False).order_by("pk").first()
    return [
        "/",
        "/about/",
        "/programs/",
        "/programs/?search=CNCT19",  # the search shown among the active filters
        program.get_absolute_url(),
        linked.get_absolute_url(),
        f"/programs/compare/?program={first.slug}&program={second.slug}",
        f"/programs/compare/?program={first.slug}&program=404",  # an unknown program, and too few to compare
        *details,
        "/companies/",
        "/institutions/",
        "/collaborations/",
        "/policies/",
        policy.get_absolute_url(),
        "/sources/",
    ]


def test_chinese_pages_have_no_english_interface_words_left(client):
    left = {}
    for url in chinese_pages():
        response = client.get(url, **ZH)
        assert response.status_code == 200, url
        assert html_lang(response) == "zh-hans", url
        if words := english_interface_words(response.content.decode()):
            left[url] = words
    assert left == {}


# What Django's own admin templates leave in English in its zh_Hans catalog: the app list's column headers (read
# by screen readers) and the search icon's text.
DJANGO_ADMIN_ENGLISH = ("Model name", "Add link", "Change or view list link", 'alt="Search"')


def admin_pages():
    """Admin pages whose every text is interface or whole record values: forms, inlines, lists, the index."""
    indication = Indication.objects.order_by("pk").first()
    return [
        "/admin/",
        "/admin/programs/therapyprogram/add/",  # inlines: developments, milestones, partner institutions
        "/admin/policies/policydocument/add/",  # inline: what the policy funds or names
        "/admin/companies/company/add/",
        "/admin/policies/policylink/",
        f"/admin/programs/indication/{indication.pk}/change/",  # a change form: the version it was opened at
    ]


def test_admin_pages_have_no_english_interface_words_left(client):
    client.force_login(User.objects.create_superuser("编辑", "editor@example.org", "pw"))
    left = {}
    for url in admin_pages():
        response = client.get(url, **ZH)
        assert response.status_code == 200, url
        html = response.content.decode()
        for phrase in DJANGO_ADMIN_ENGLISH:
            html = html.replace(phrase, "")
        if words := english_interface_words(html):
            left[url] = words
    assert left == {}


def test_english_pages_stay_english(client):
    for url in chinese_pages():
        response = client.get(url, **EN)
        assert html_lang(response) == "en"
        assert '<a href="/programs/"' in response.content.decode() and ">Programs</a>" in response.content.decode(), url
