"""Footnotes of a record's page: each quote backing the record (and the records shown with it), numbered.

A page builds one ``Footnotes`` for the records whose facts it shows; ``{% cite record "field" %}``
puts the numbers of a field's quotes beside its value, and the footnotes list them at the end.
"""

from dataclasses import dataclass

from django.utils.text import capfirst


@dataclass(frozen=True)
class Footnote:
    number: int
    evidence: object
    record: object
    supports: str


def field_label(record, field):
    if not field:
        return ""
    return capfirst(str(record._meta.get_field(field).verbose_name))


class Footnotes:
    def __init__(self, records):
        self.notes = []
        self._by_field = {}
        for record in records:
            for item in record.evidence.all():
                note = Footnote(len(self.notes) + 1, item, record, field_label(record, item.field))
                self.notes.append(note)
                self._by_field.setdefault((type(record), record.pk, item.field), []).append(note)

    def __iter__(self):
        return iter(self.notes)

    def __len__(self):
        return len(self.notes)

    def for_field(self, record, field):
        return self._by_field.get((type(record), record.pk, field), [])
