"""Web addresses take http and https only; a bare host name stays as the article writes it, linked over https."""

import pytest
from django.contrib.auth.models import User
from model_bakery import baker
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

REFUSED = ["javascript:alert(1)", "JavaScript://x.com/%0a1", "data:text/html,x", "ftp://x.example.org/", "//x.cn"]
ACCEPTED = ["www.juventas.cn", "https://www.juventas.cn/about", "http://example.org", "www.example.cn:8080/x"]


@pytest.fixture
def staff():
    api = APIClient()
    api.force_authenticate(User.objects.create_superuser("web", password="pw"))
    return api


@pytest.fixture
def company():
    return baker.make("companies.Company", slug="web-co", name="Web Co")


@pytest.fixture
def source():
    return baker.make("sources.Source", slug="web-source")


@pytest.mark.parametrize("address", REFUSED)
def test_a_website_of_another_scheme_is_refused(staff, company, address):
    response = staff.patch("/api/companies/web-co/", {"website": address}, format="json")

    assert response.status_code == 400
    assert "website" in response.json()


@pytest.mark.parametrize("address", REFUSED)
def test_an_article_url_of_another_scheme_is_refused(staff, source, address):
    response = staff.patch("/api/sources/web-source/", {"article_url": address}, format="json")

    assert response.status_code == 400
    assert "article_url" in response.json()


@pytest.mark.parametrize("address", ACCEPTED)
def test_an_http_address_or_a_bare_host_name_is_kept_as_written(staff, company, address):
    response = staff.patch("/api/companies/web-co/", {"website": address}, format="json")

    assert response.status_code == 200
    assert response.json()["website"] == address


def test_a_bare_host_name_is_linked_over_https_without_an_invented_path(client, company):
    company.website = "www.juventas.cn"
    company.save()

    page = client.get(company.get_absolute_url()).content.decode()

    assert '<a href="https://www.juventas.cn" rel="noopener noreferrer">www.juventas.cn</a>' in page


def test_an_article_url_is_linked_as_written(client, source):
    source.url = "http://example.org/news/1"
    source.save()

    assert 'href="http://example.org/news/1"' in client.get(source.get_absolute_url()).content.decode()
