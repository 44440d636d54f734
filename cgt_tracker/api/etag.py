"""One ETag for a URL's representation, for reads (``If-None-Match``) and writes (``If-Match``) alike."""

import hashlib


def representation_etag(body: bytes) -> str:
    """A strong ETag: the quoted BLAKE2b hash of the representation's bytes (nested data included)."""
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
