"""The rows of a program table (the program list, a company's or an article's programs), read through the
program API's read shape: plain rows in a few set-based queries, as the API reads a page, instead of model
instances and their prefetches (which cost a list page about 13 ms of Python at 25 rows)."""

from datetime import date

from django.utils.translation import get_language

from cgt_tracker.api.shapes import Nested, ReadContext
from cgt_tracker.models import choice_labels, newest_date
from companies.models import Company
from sources.models import Source

from .api import DEVELOPMENT_SHAPE, MILESTONE_SHAPE, PROGRAM_SHAPE
from .models import Designation, Indication, Target, TherapyProgram

# The program's own shape, its nested lists reduced to what a row shows: indications and the as-of date.
TABLE_SHAPE = PROGRAM_SHAPE.only(
    "slug",
    "name",
    "company",
    "modality",
    "targets",
    "designations",
    "stage",
    "ndr",
    "sources",
    developments=Nested(DEVELOPMENT_SHAPE.only("indication", "as_of", "as_of_precision"), "program"),
    milestones=Nested(MILESTONE_SHAPE.only("date", "date_precision"), "program"),
)


def program_rows(ids, *, ndr=False, using="default"):
    """A ``ProgramRow`` for each program of ``ids``, in that order; ``ndr``: flag the programs without a
    development reported (the program list's badge)."""
    names = [name for name in TABLE_SHAPE.fields if ndr or name != "ndr"]
    items = TABLE_SHAPE.build_ids(list(ids), ReadContext(None), names=names, using=using)
    designations = {designation.code: designation for designation in Designation.objects.using(using)}
    cited = {slug for item in items for slug in item["sources"]}
    source_dates = {
        row["slug"]: (row["published_on"], row["published_on_precision"])
        for row in Source.objects.using(using)
        .filter(slug__in=cited)
        .values("slug", "published_on", "published_on_precision")
    }
    labels = {
        name: choice_labels(TherapyProgram._meta.get_field(name), get_language()) for name in ("modality", "stage")
    }
    return [ProgramRow(item, designations, source_dates, labels) for item in items]


def parsed(iso):
    return date.fromisoformat(iso) if iso else None


class ProgramRow:
    """A program as its table row shows it; related records are unsaved instances, for their links and names."""

    def __init__(self, item, designations, source_dates, labels):
        self.slug, self.name, self.stage = item["slug"], item["name"], item["stage"]
        self.ndr = item.get("ndr", False)
        self.modality_label = labels["modality"].get(item["modality"], item["modality"])
        self.stage_label = labels["stage"].get(item["stage"], item["stage"])
        company = item["company"]
        self.company = Company(slug=company["slug"], name=company["name"]) if company else None
        self.targets = [Target(symbol=symbol) for symbol in item["targets"]]
        self.designations = [designations[code] for code in item["designations"] if code in designations]
        developments, milestones = item["developments"], item["milestones"]
        found = {d["indication"]["slug"]: d["indication"]["name"] for d in developments if d["indication"]}
        self.indications = sorted(
            (Indication(slug=slug, name=name) for slug, name in found.items()), key=lambda i: i.name.lower()
        )
        self.as_of = newest_date(
            [(parsed(development["as_of"]), development["as_of_precision"]) for development in developments]
            + [(parsed(milestone["date"]), milestone["date_precision"]) for milestone in milestones]
        ) or newest_date(source_dates.get(slug, (None, "")) for slug in item["sources"])

    def get_absolute_url(self):
        return TherapyProgram(slug=self.slug).get_absolute_url()

    def __str__(self):
        return self.name
