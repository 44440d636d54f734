import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """No persistent connections in tests: a live server's thread must not keep the test database open."""
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every database test starts from the records derived from the five articles."""
    with django_db_blocker.unblock():
        call_command("load_articles", verbosity=0)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
