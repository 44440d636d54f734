"""Synthetic records for load and scale testing, kept apart from the article-derived ones.

Every synthetic record cites the one ``synthetic-data`` source and has a slug starting with
``syn-``, so they are easy to recognise in the pages and the API and removable in one command.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice

from django.db import transaction
from django.db.models import Max
from django.test.utils import override_settings
from django.utils import timezone
from tqdm import tqdm

from cgt_tracker.models import bulk_change
from companies.models import Company, CompanyKind, Institution, InstitutionKind
from programs.choices import CellSource, MilestoneKind, Modality, Pathway, Stage
from programs.models import Development, Indication, Milestone, Target, TherapyProgram
from search.text import program_texts
from sources.models import Source

SOURCE_SLUG = "synthetic-data"
PREFIX = "syn-"
BATCH = 2000

# Roughly how real pipelines are shaped: many early programs, few approved.
STAGE_WEIGHTS = {
    Stage.DISCOVERY: 6,
    Stage.PRECLINICAL: 20,
    Stage.IND_FILED: 8,
    Stage.IND_APPROVED: 12,
    Stage.PHASE_1: 24,
    Stage.PHASE_1_2: 10,
    Stage.PHASE_2: 10,
    Stage.PHASE_2_3: 2,
    Stage.PHASE_3: 4,
    Stage.NDA_FILED: 2,
    Stage.APPROVED: 2,
}
MODALITY_WEIGHTS = {
    Modality.CAR_T: 40,
    Modality.CAR_NK: 6,
    Modality.NK: 6,
    Modality.TCR_T: 5,
    Modality.TIL: 3,
    Modality.DC: 3,
    Modality.MSC: 15,
    Modality.IPSC: 5,
    Modality.HSC: 2,
    Modality.GENE_THERAPY: 10,
    Modality.GENE_EDITING: 4,
    Modality.OTHER_CELL: 1,
}
PROVINCES = ["Shanghai", "Beijing", "Guangdong", "Jiangsu", "Zhejiang", "Tianjin", "Hubei", "Sichuan", "Shandong"]
WORDS = ["Cell", "Gene", "Bio", "Thera", "Immuno", "Cure", "Nova", "Vita", "Helix", "Genix", "Medi", "Onco"]
# Syllables for Chinese names, so searches for Chinese fragments have something to find at scale.
ZH_WORDS = ["瑞基", "奥仑", "赛恩", "明康", "达格", "泽沃", "伊基", "普诺", "凯特", "华信", "安科", "博唯"]


@dataclass
class ProgramPlan:
    index: int
    company_id: int | None
    targets: list
    developments: list  # (indication, stage) pairs


def chunks(iterable, size) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def synthetic_source():
    source, _ = Source.objects.get_or_create(
        slug=SOURCE_SLUG,
        defaults={
            "title": "Synthetic data (generated for load testing; not from any article)",
            "publisher": "CGT Tracker synthetic data generator",
            "text": "Records citing this source are generated and describe no real program, company or institution.",
        },
    )
    return source


def _bulk(model, objects, *, total, label, progress=True):
    """Insert ``objects`` in batches with a progress bar; returns nothing (ids are re-read by slug)."""
    with tqdm(total=total, desc=label, unit="rows", disable=not progress, leave=False) as bar:
        for batch in chunks(objects, BATCH):
            # The base manager: the plan already gives each program its stage (no per-program refresh).
            model._base_manager.bulk_create(batch, batch_size=BATCH)
            bar.update(len(batch))


def _cite(model, ids, source, *, progress):
    through = model.sources.through
    field = f"{model._meta.model_name}_id"
    rows = (through(**{field: pk, "source_id": source.pk}) for pk in ids)
    _bulk(through, rows, total=len(ids), label=f"{model._meta.verbose_name} sources", progress=progress)


def _ids(model, field="slug"):
    return list(model.objects.filter(**{f"{field}__startswith": PREFIX}).order_by("pk").values_list("pk", flat=True))


@override_settings(SIMPLE_HISTORY_ENABLED=False)
@bulk_change()
@transaction.atomic
def generate(*, programs=100_000, companies=10_000, institutions=2_000, seed=1, progress=True):
    """Create a synthetic data set of the given size. Returns the number of programs created."""
    rng = random.Random(seed)
    source = synthetic_source()
    now = timezone.now()
    start = Company.objects.filter(slug__startswith=PREFIX).count()

    def company(i):
        name = f"Synthetic {rng.choice(WORDS)}{rng.choice(WORDS).lower()} Therapeutics {i:06d}"
        return Company(
            name=name,
            slug=f"{PREFIX}company-{i:06d}",
            kind=rng.choice(CompanyKind.values),
            country="China",
            province=rng.choice(PROVINCES),
            created=now,
            updated=now,
        )

    def institution(i):
        return Institution(
            name=f"Synthetic {rng.choice(PROVINCES)} Hospital {i:05d}",
            slug=f"{PREFIX}institution-{i:05d}",
            kind=rng.choice(InstitutionKind.values),
            country="China",
            created=now,
            updated=now,
        )

    _bulk(
        Company, (company(start + i) for i in range(companies)), total=companies, label="companies", progress=progress
    )
    _bulk(
        Institution,
        (institution(start + i) for i in range(institutions)),
        total=institutions,
        label="institutions",
        progress=progress,
    )
    company_ids, institution_ids = _ids(Company), _ids(Institution)
    _cite(Company, company_ids[-companies:] if companies else [], source, progress=progress)
    _cite(Institution, institution_ids[-institutions:] if institutions else [], source, progress=progress)

    targets = [Target.objects.get_or_create(symbol=f"{PREFIX.upper()}T{n:03d}")[0] for n in range(200)]
    indications = [
        Indication.objects.get_or_create(
            slug=f"{PREFIX}indication-{n:03d}", defaults={"name": f"Synthetic disease {n:03d}"}
        )[0]
        for n in range(300)
    ]
    stages, stage_weights = list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values())
    modalities, modality_weights = list(MODALITY_WEIGHTS), list(MODALITY_WEIGHTS.values())
    company_names = dict(Company.objects.filter(slug__startswith=PREFIX).values_list("pk", "name"))
    first = TherapyProgram.objects.filter(slug__startswith=PREFIX).count()

    # Everything about a program is drawn up front, so its derived fields are known at insert.
    plans = [
        ProgramPlan(
            index=i,
            company_id=rng.choice(company_ids) if company_ids and rng.random() < 0.9 else None,
            targets=rng.sample(targets, rng.choice((0, 1, 1, 1, 2))),
            developments=list(
                zip(
                    rng.sample(indications, n := rng.choice((1, 1, 1, 2, 2, 3))),
                    rng.choices(stages, stage_weights, k=n),
                    strict=True,
                )
            ),
        )
        for i in range(first, first + programs)
    ]

    def program(plan):
        modality = rng.choices(modalities, modality_weights)[0]
        name = f"SYN-{plan.index:06d} {rng.choice(WORDS)}-{modality.replace('_', '-').upper()}"
        name_zh = f"{rng.choice(ZH_WORDS)}{rng.choice(ZH_WORDS)}细胞注射液"
        description = f"Synthetic program {plan.index} for load testing."
        search_names, search_document = program_texts(
            names=[name, name_zh],
            modality=modality,
            related=[
                company_names.get(plan.company_id, ""),
                *(t.symbol for t in plan.targets),
                *(i.name for i, _ in plan.developments),
                description,
            ],
        )
        return TherapyProgram(
            name=name,
            name_zh=name_zh,
            slug=f"{PREFIX}program-{plan.index:06d}",
            company_id=plan.company_id,
            modality=modality,
            cell_source=rng.choice(["", *CellSource.values]),
            stage=Stage.most_advanced(stage for _, stage in plan.developments),
            description=description,
            search_names=search_names,
            search_document=search_document,
            created=now,
            updated=now - timedelta(minutes=rng.randrange(0, 60 * 24 * 365)),
        )

    _bulk(TherapyProgram, map(program, plans), total=programs, label="programs", progress=progress)
    program_ids = _ids(TherapyProgram)[-programs:] if programs else []
    _cite(TherapyProgram, program_ids, source, progress=progress)

    target_through = TherapyProgram.targets.through
    target_rows = (
        target_through(therapyprogram_id=pk, target_id=target.pk)
        for pk, plan in zip(program_ids, plans, strict=True)
        for target in plan.targets
    )
    _bulk(target_through, target_rows, total=len(program_ids), label="program targets", progress=progress)

    partner_through = TherapyProgram.partners.through
    partner_rows = (
        partner_through(
            program_id=pk, institution_id=rng.choice(institution_ids), role="Clinical site", created=now, updated=now
        )
        for pk in program_ids
        if institution_ids and rng.random() < 0.3
    )
    _bulk(partner_through, partner_rows, total=len(program_ids) * 3 // 10, label="partners", progress=progress)

    def developments():
        for pk, plan in zip(program_ids, plans, strict=True):
            for indication, stage in plan.developments:
                yield Development(
                    program_id=pk,
                    indication=indication,
                    stage=stage,
                    country="China",
                    pathway=rng.choice(Pathway.values),
                    created=now,
                    updated=now,
                )

    total_devs = sum(len(plan.developments) for plan in plans)
    last_before = Development.objects.aggregate(last=Max("pk"))["last"] or 0
    _bulk(Development, developments(), total=total_devs, label="developments", progress=progress)
    development_ids = list(Development.objects.filter(pk__gt=last_before).values_list("pk", flat=True))
    _cite(Development, development_ids, source, progress=progress)

    def milestones():
        kinds = [MilestoneKind.IND_APPROVED, MilestoneKind.TRIAL_STARTED, MilestoneKind.PHASE_ENTERED]
        for pk in program_ids:
            yield Milestone(
                program_id=pk,
                kind=rng.choice(kinds),
                source=source,
                date=date(2015, 1, 1) + timedelta(days=rng.randrange(0, 3650)),
                date_precision=rng.choice(["day", "month", "year"]),
                created=now,
                updated=now,
            )

    last_milestone = Milestone.objects.aggregate(last=Max("pk"))["last"] or 0
    _bulk(Milestone, milestones(), total=len(program_ids), label="milestones", progress=progress)
    milestone_ids = list(Milestone.objects.filter(pk__gt=last_milestone).values_list("pk", flat=True))

    # Every record has a change history: a "created" entry each, dated when the record was last updated.
    for model, ids in (
        (Company, company_ids[-companies:] if companies else []),
        (Institution, institution_ids[-institutions:] if institutions else []),
        (TherapyProgram, program_ids),
        (Development, development_ids),
        (Milestone, milestone_ids),
    ):
        _history(model, ids, progress=progress)
    return programs


@override_settings(SIMPLE_HISTORY_ENABLED=True)  # off for the rows above, on for writing their history in bulk
def _history(model, ids, *, progress):
    with tqdm(total=len(ids), desc=f"{model._meta.verbose_name} history", disable=not progress, leave=False) as bar:
        for batch in chunks(ids, BATCH):
            records = list(model._base_manager.filter(pk__in=batch))
            for record in records:
                record._history_date = record.updated
            model.history.bulk_history_create(records, batch_size=BATCH)
            bar.update(len(batch))


@override_settings(SIMPLE_HISTORY_ENABLED=False)
@bulk_change()
@transaction.atomic
def remove(*, progress=True):
    """Delete every synthetic record (and nothing else). Returns the number of programs removed."""
    program_ids = _ids(TherapyProgram)
    for batch in tqdm(list(chunks(program_ids, BATCH)), desc="programs", disable=not progress, leave=False):
        for part in (Development, Milestone):
            part.history.filter(program_id__in=batch).delete()
        TherapyProgram.objects.filter(pk__in=batch).delete()
    for model in (TherapyProgram, Company, Institution):
        model.history.filter(slug__startswith=PREFIX).delete()
    Company.objects.filter(slug__startswith=PREFIX).delete()
    Institution.objects.filter(slug__startswith=PREFIX).delete()
    Target.objects.filter(symbol__startswith=PREFIX.upper()).delete()
    Indication.objects.filter(slug__startswith=PREFIX).delete()
    Source.objects.filter(slug=SOURCE_SLUG).delete()
    return len(program_ids)
