"""What ``gunicorn.conf.py`` does to a new worker before it takes traffic."""

import gc
import runpy
from pathlib import Path

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

CONF = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))


class Worker:
    """The part of a gunicorn worker the hook uses: its WSGI app (here recording what each request answered)."""

    def __init__(self):
        self.app, self.served = get_wsgi_application(), []

    def wsgi(self, environ, start_response):
        def record(status, headers, exc_info=None):
            self.served.append((environ["PATH_INFO"], status))
            return start_response(status, headers, exc_info)

        return self.app(environ, record)


@pytest.fixture
def collector():
    """The cycle collector's settings put back after the test (the hook changes them for the whole process)."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.fixture
def connection_kept():
    """As in Django's test client: the request signals leave the test's connection open (it holds the test's
    transaction, which PostgreSQL would lose)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
def test_a_new_worker_serves_each_warm_up_path_before_taking_traffic(collector, connection_kept, settings):
    settings.ALLOWED_HOSTS = ["cgt.example.org"]
    worker = Worker()
    CONF["post_worker_init"](worker)
    expected = [(path.partition("?")[0], "200 OK") for path in CONF["WARM_UP_PATHS"]]
    assert worker.served == expected


@pytest.mark.django_db
def test_a_warmed_worker_freezes_what_it_loaded_and_collects_cycles_less_often(collector, connection_kept):
    CONF["post_worker_init"](Worker())
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == CONF["GC_THRESHOLD"]
