"""gunicorn settings, read from the working directory: ``gunicorn cgt_tracker.wsgi``.

Each value can be changed with the environment (``GUNICORN_*``) or the command line. The app logs one
JSON line per request itself (``cgt_tracker.request_log``), so gunicorn's access log is off.
"""

import gc
import logging
import multiprocessing
import os
from wsgiref.util import setup_testing_defaults

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: requests are short and the database does the waiting; 2 per core, plus one.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))  # a worker silent this long is killed and replaced
graceful_timeout = 20  # on restart, in-flight requests get this long to finish
keepalive = 5  # behind a proxy that reuses connections
# Replace each worker now and then, so a slow leak never grows without bound.
max_requests = 5000
max_requests_jitter = 500
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Served once by each new worker before it takes traffic: the first request of a cold worker costs
# imports, template compilation and database connections (tens of milliseconds).
WARM_UP_PATHS = ["/readyz", "/api/programs/?page_size=1", "/"]

# After the warm-up, what the worker has loaded (modules, URL patterns, compiled queries, templates) lives as
# long as the worker: frozen, the cycle collector stops walking it; and it runs a tenth as often, since a
# request makes many short-lived objects and few cycles. Together ~7% of the CPU of a cold API read
# (bench/README.md).
GC_THRESHOLD = (10_000, 50, 50)


def post_worker_init(worker):
    from django.conf import settings

    host = next((h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")), "localhost")
    for path in WARM_UP_PATHS:
        environ = {
            "PATH_INFO": path.partition("?")[0],
            "QUERY_STRING": path.partition("?")[2],
            "HTTP_HOST": host,
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "https",
        }
        setup_testing_defaults(environ)
        try:
            body = worker.wsgi(environ, lambda status, headers, exc_info=None: None)
            for _ in body:
                pass
            getattr(body, "close", lambda: None)()
        except Exception as error:  # a database still starting must not keep the worker from serving
            logging.getLogger(__name__).warning("warm-up of %s failed: %s", path, error)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
