"""The in-stack limit: a bare WSGI handler that runs one raw SQL query for the same page of
programs the API serves and dumps it as JSON. Nothing can serve that page faster in this stack.

    DATABASE_URL=... gunicorn --chdir bench limit_app:application
"""

import json
import os
import sqlite3
from urllib.parse import parse_qs, urlparse

COLUMNS = ["slug", "name", "stage", "modality", "updated", "company_slug", "company_name"]
SELECT = (
    "SELECT p.slug, p.name, p.stage, p.modality, p.updated, c.slug, c.name "
    "FROM programs_therapyprogram p LEFT JOIN companies_company c ON c.id = p.company_id "
)
QUERIES = {
    "list": SELECT + "ORDER BY p.name LIMIT 50",
    "filter": SELECT + "WHERE p.stage = {p} AND p.modality = {p} ORDER BY p.name LIMIT 50",
    "search": SELECT + "WHERE p.name LIKE {p} ORDER BY p.name LIMIT 50",
    "detail": SELECT + "WHERE p.slug = {p}",
}

url = urlparse(os.environ["DATABASE_URL"])
if url.scheme == "sqlite":
    connection = sqlite3.connect(url.path, check_same_thread=False)
    placeholder = "?"
else:
    import psycopg

    connection = psycopg.connect(os.environ["DATABASE_URL"].replace("postgres://", "postgresql://"), autocommit=True)
    placeholder = "%s"


def application(environ, start_response):
    query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    kind = query.get("q", "list")
    params = {
        "list": (),
        "filter": (query.get("stage", "phase_2"), query.get("modality", "car_t")),
        "search": (f"%{query.get('search', '')}%",),
        "detail": (query.get("slug", ""),),
    }[kind]
    sql = QUERIES[kind].replace("{p}", placeholder)
    rows = connection.execute(sql, params).fetchall()
    body = json.dumps({"results": [dict(zip(COLUMNS, map(str, row), strict=True)) for row in rows]}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
