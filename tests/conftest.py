import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every database test here starts from the records derived from the five articles."""
    with django_db_blocker.unblock():
        call_command("load_articles", verbosity=0)
