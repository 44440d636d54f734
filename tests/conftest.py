"""tests/: what the five articles say (test_fixtures, test_article_*), and the features tried on the whole data
set they give (dataset export and import, languages, translation catalog, browser, several servers). Each app's
own behaviour is tested in its tests/, on records its factories make."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every database test here starts from the records derived from the five articles."""
    with django_db_blocker.unblock():
        call_command("load_articles", verbosity=0)
