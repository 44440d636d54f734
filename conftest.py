"""Fixtures for every test, in tests/ and in each app's tests/ (tests/conftest.py adds the article records)."""

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient

from intake.mentions import forget_index


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """No persistent connections in tests: a live server's thread must not keep the test database open."""
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache starts empty in every test: API throttle counters, and cached responses, which are keyed by a
    data version that each test's rollback sets back, so a response cached in one test must not answer another.
    The same goes for this process's automaton of record names (intake)."""
    cache.clear()
    forget_index()


@pytest.fixture
def api():
    """A client of the API, signed out."""
    return APIClient()


@pytest.fixture
def admin_request(rf, admin_user):
    """A request made by a superuser, for the admin's forms."""
    request = rf.get("/")
    request.user = admin_user
    return request


def pytest_collection_modifyitems(session, config, items):
    """The article-record tests last: tests/conftest.py loads the articles into the test database for the rest of
    the session, and every other test builds its own records in an empty one."""
    articles = session.config.rootpath / "tests"
    items.sort(key=lambda item: item.path.is_relative_to(articles))
