"""One ETag for a record's representation: sent with every detail, compared with ``If-Match`` on writes.

The reads side answers ``If-None-Match`` with the same value, so the definition lives here, once.
"""

import hashlib

from django.utils.http import parse_etags
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status


def representation_etag(body: bytes) -> str:
    """A strong ETag: the quoted BLAKE2b hash of the representation's bytes (nested data included)."""
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy("The record has changed since you read it.")
    default_code = "precondition_failed"


def check_if_match(header: str | None, etag: str) -> None:
    """Raise ``PreconditionFailed`` unless ``If-Match`` (if sent at all) names ``etag`` or is ``*``.

    Strong comparison (RFC 9110 §13.1.1): a weak tag ``W/"…"`` never matches.
    """
    if header is None:
        return
    tags = parse_etags(header)
    if tags == ["*"] or etag in tags:
        return
    raise PreconditionFailed(
        f"The record has changed since you read it: If-Match was {header.strip()}, the record is now {etag}. "
        "Read it again, apply your change to what it is now, and retry with the new ETag."
    )
