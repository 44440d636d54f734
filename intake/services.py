"""Accepting a proposal of the intake page: the record cites the source, with the sentence as its evidence."""

from django.db import transaction

from evidence.models import Evidence
from evidence.text import MIN_QUOTE_LENGTH, sentence_around

from .mentions import Kind


def record_models():
    from companies.models import Company, Institution
    from policies.models import PolicyDocument
    from programs.models import TherapyProgram

    return {
        Kind.PROGRAM: TherapyProgram,
        Kind.COMPANY: Company,
        Kind.INSTITUTION: Institution,
        Kind.POLICY: PolicyDocument,
    }


def quote_for(text, start, end):
    """The sentence around ``text[start:end]``; with its neighbours where it is too short to check."""
    quote = sentence_around(text, start, end)
    if len(quote) < MIN_QUOTE_LENGTH:
        quote = text[max(0, start - MIN_QUOTE_LENGTH) : end + MIN_QUOTE_LENGTH].strip()
    return quote


@transaction.atomic
def accept_mention(*, source, kind, slug, start, end):
    """Link the record ``kind``/``slug`` to ``source`` with the sentence at ``start:end`` as evidence.

    Returns the evidence (the existing one when the same sentence already backs the record).
    """
    model = record_models()[kind]
    record = model.objects.select_for_update().get(slug=slug)
    quote = quote_for(source.text, start, end)
    existing = record.evidence.filter(source=source, field="", quote=quote).first()
    if existing is not None:
        return existing
    evidence = Evidence(record=record, source=source, quote=quote)
    evidence.full_clean()
    evidence.save()
    return evidence
