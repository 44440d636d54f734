"""Fixtures for every test of the project (each app's tests/ and tests/)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts from an empty cache: throttle counters from zero, and nothing kept under a data version
    that a rolled-back test reached too (versions repeat from test to test)."""
    cache.clear()
