"""Each program's search text, built from the program and the records around it, in a few queries."""

from collections import defaultdict

from companies.models import Company
from programs.models import Development, TherapyProgram

from .text import program_texts

BATCH = 1000


def _names(name, name_zh, aliases):
    return [name, name_zh, *(aliases or [])]


def refresh_programs(pks):
    """Rebuild the search text of the programs with these ids; writes only rows whose text changed.

    An ``update()``: the search text mirrors other fields, so it makes no history entry of its own.
    """
    pks = list(dict.fromkeys(pks))
    for start in range(0, len(pks), BATCH):
        _refresh_batch(pks[start : start + BATCH])


def refresh_all():
    refresh_programs(TherapyProgram.objects.values_list("pk", flat=True).order_by("pk").iterator())


def _refresh_batch(pks):
    programs = list(
        TherapyProgram.objects.filter(pk__in=pks).values_list(
            "pk", "name", "name_zh", "aliases", "description", "modality", "company_id", "originator_id",
            "search_names", "search_document",
        )
    )
    company_ids = {row[6] for row in programs} | {row[7] for row in programs}
    companies = {
        pk: _names(name, name_zh, aliases)
        for pk, name, name_zh, aliases in Company.objects.filter(pk__in=company_ids - {None}).values_list(
            "pk", "name", "name_zh", "aliases"
        )
    }
    related = defaultdict(list)
    # In the order they were added, which is also the order synthetic data builds them in.
    targets = TherapyProgram.targets.through.objects.filter(therapyprogram_id__in=pks).order_by("pk")
    for pk, symbol, name in targets.values_list("therapyprogram_id", "target__symbol", "target__name"):
        related[pk] += [symbol, name]
    developments = Development.objects.filter(program_id__in=pks).order_by("pk").values_list(
        "program_id", "indication__name", "indication__abbreviation", "indication__name_zh", "trial_ids",
        "acceptance_no",
    )
    for pk, name, abbreviation, name_zh, trial_ids, acceptance_no in developments:
        related[pk] += [name, abbreviation, name_zh, *(trial_ids or []), acceptance_no]

    for pk, name, name_zh, aliases, description, modality, company, originator, old_names, old_document in programs:
        names, document = program_texts(
            names=_names(name, name_zh, aliases),
            modality=modality,
            related=[*companies.get(company, []), *companies.get(originator, []), *related[pk], description],
        )
        if (names, document) != (old_names, old_document):
            TherapyProgram.objects.filter(pk=pk).update(search_names=names, search_document=document)
