"""A real browser walks the public pages: dashboard → programs filtered by stage → a program → its source → about."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connections
from django.test import Client
from test_languages import english_interface_words

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Debian's chromium is not installed at {CHROMIUM}"),
]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django would refuse its ORM calls here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # The test's queries ran inside Playwright's event loop, where Django keeps connections apart from
        # the ones it closes at the end of the run: left open, they stop PostgreSQL dropping the test database.
        connections.close_all()


@pytest.fixture
def problems():
    """Console errors (CSP violations among them), uncaught page errors and failed requests."""
    return []


def open_page(browser, viewport, problems, locale="en-US"):
    page = browser.new_page(viewport=VIEWPORTS[viewport], locale=locale)
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "response", lambda response: response.status >= 400 and problems.append(f"{response.status} {response.url}")
    )
    return page


def screenshot(page, viewport, step):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{viewport}-{step}.png", full_page=True)


# What a visitor reads in each language (browser locale → Accept-Language); record data stays as the sources give it.
LANGUAGES = {
    "en": {
        "locale": "en-US",
        "title": "CGT Tracker",
        "dashboard": "Cell and gene therapy in China",
        "main_nav": "Main",
        "programs": "Programs",
        "stage": "Stage",
        "phase_2": r"^Phase 2 \(1\)",
        "about_link": "About this tracker",
        "about": "About CGT Tracker",
        "discovery": "Research on the candidate, before studies meant to support a clinical trial.",
    },
    "zh-hans": {
        "locale": "zh-CN",
        "title": "CGT 管线追踪",
        "dashboard": "中国细胞与基因治疗",
        "main_nav": "主导航",
        "programs": "在研项目",
        "stage": "阶段",
        "phase_2": r"^II期 \(1\)",
        "about_link": "关于本站",
        "about": "关于 CGT 管线追踪",
        "discovery": "针对候选药物的研究，尚未开始为支持临床试验而开展的研究。",
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_visitor_finds_a_program_by_stage_and_reads_its_source(live_server, browser, problems, viewport, language):
    call_command("load_articles", verbosity=0)  # the live server's database is flushed between tests
    expect = sync_api.expect
    words = LANGUAGES[language]
    page = open_page(browser, viewport, problems, locale=words["locale"])
    shot = viewport if language == "en" else f"{viewport}-{language}"

    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page).to_have_title(re.compile(words["title"]))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["dashboard"])
    expect(page.locator("#stage-chart-title")).to_have_count(1)
    screenshot(page, shot, "1-dashboard")

    page.get_by_role("navigation", name=words["main_nav"]).get_by_role("link", name=words["programs"]).click()
    if viewport == "phone":  # the facets fold into a drawer
        page.locator("details.facets-drawer > summary").click()
    stage_facet = page.locator("section.facet", has=page.get_by_role("heading", name=words["stage"], exact=True))
    stage_facet.get_by_role("link", name=re.compile(words["phase_2"])).click()
    expect(page).to_have_url(re.compile(r"/programs/\?stage=phase_2$"))
    results = page.locator("table tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("CNCT19")
    screenshot(page, shot, "2-programs-in-phase-2")

    results.first.get_by_role("link", name="CNCT19").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CNCT19")
    expect(page.locator("dl.facts")).to_contain_text("Breakthrough Therapy Designation")
    screenshot(page, shot, "3-program")

    page.locator("section.sources").get_by_role("link", name=re.compile("^Juventas Joins Hands")).click()
    expect(page).to_have_url(re.compile("/sources/juventas-joins-hands-2021/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Juventas Joins Hands")
    expect(page.locator("section.quotes")).to_be_visible()
    screenshot(page, shot, "4-source")

    page.get_by_role("link", name=words["about_link"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["about"])
    expect(page.locator("dl.facts").first).to_contain_text(words["discovery"])
    if language != "en":  # what the stages mean, the tracks, how to cite: all of it in the visitor's language
        assert english_interface_words(page.content()) == []
    screenshot(page, shot, "5-about")

    assert problems == []


LIST_PAGES = ["/programs/", "/companies/", "/institutions/", "/collaborations/", "/policies/", "/sources/"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("url", LIST_PAGES)
def test_on_a_phone_a_list_fits_the_screen_and_its_first_result_is_on_the_first_screen(
    live_server, browser, problems, url, language
):
    call_command("load_articles", verbosity=0)
    page = open_page(browser, "phone", problems, locale=LANGUAGES[language]["locale"])

    page.goto(live_server.url + url)

    assert page.evaluate("document.documentElement.scrollWidth") == VIEWPORTS["phone"]["width"]
    first = page.locator(".results tbody tr").first.locator("th a").first.bounding_box()
    assert first["y"] + first["height"] <= VIEWPORTS["phone"]["height"]
    expect = sync_api.expect
    expect(page.locator("details.facets-drawer")).not_to_have_attribute("open", "")
    expect(page.locator("html")).to_have_attribute("lang", language)
    screenshot(page, "phone", f"list-{url.strip('/')}-{language}")
    assert problems == []


def test_an_analyst_reads_as_of_dates_csv_labels_and_what_a_policy_funds(live_server, browser, problems):
    call_command("load_articles", verbosity=0)
    expect = sync_api.expect
    page = open_page(browser, "desktop", problems)

    page.goto(live_server.url + "/programs/?ordering=-as_of")
    expect(page.locator("table thead")).to_contain_text("As of")
    expect(page.locator("table tbody tr").first.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}"))

    csv_url = live_server.url + page.get_by_role("link", name="Download CSV").get_attribute("href")
    csv_text = page.request.get(csv_url).text()
    assert "stage,stage_label" in csv_text.splitlines()[0]
    assert ",phase_2,Phase 2," in csv_text

    page.goto(live_server.url + "/policies/guangdong-covid-special-emergency-project/")
    linked = page.locator("section", has=page.get_by_role("heading", name=re.compile("it funds or names")))
    linked.get_by_role("link", name=re.compile("Beike")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beike")
    expect(page.get_by_role("heading", name="Policies that fund or name it")).to_be_visible()
    screenshot(page, "desktop", "company-with-policies")
    assert problems == []


@pytest.mark.parametrize("staff", [False, True], ids=["anonymous", "staff"])
def test_the_browsable_api_runs_under_the_content_security_policy(live_server, browser, problems, staff):
    call_command("load_articles", verbosity=0)
    page = open_page(browser, "desktop", problems)
    if staff:  # signed in: the browsable API then also renders its forms
        client = Client()
        client.force_login(User.objects.create_superuser("apiviewer", password="pw"))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    for url in ["/api/", "/api/programs/", "/api/programs/cnct19/", "/api/policy-links/"]:
        page.goto(live_server.url + url)
        sync_api.expect(page.locator(".response-info")).to_be_visible()

    assert problems == []


def test_the_language_switch_keeps_the_page_and_its_filters(live_server, browser, problems):
    call_command("load_articles", verbosity=0)
    expect = sync_api.expect
    page = open_page(browser, "desktop", problems)

    page.goto(live_server.url + "/programs/?stage=phase_2")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="简体中文").click()
    expect(page).to_have_url(re.compile(r"/programs/\?stage=phase_2$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("在研项目")
    expect(page.locator("table tbody tr")).to_have_count(1)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Therapy programs")
    assert problems == []
