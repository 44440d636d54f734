"""Search across the tracker: one text normalisation, one program search index, kept current on every write.

- ``search.text``: how text and queries are normalised, and the modality synonyms (pure Python).
- ``search.index``: the database side: a trigram index (pg_trgm on PostgreSQL, FTS5 on SQLite) and
  the query that uses it.
- ``search.documents``: each program's search text, rebuilt from its record and related records.
- ``search.signals``: rebuild on every write path that changes what a program's search text holds.
"""
