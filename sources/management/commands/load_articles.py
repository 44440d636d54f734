"""Load the article-derived fixtures and the articles' text. Safe to run again: nothing is duplicated."""

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction

from cgt_tracker.models import bulk_change
from evidence.loading import EvidenceFixtureError, load_evidence
from programs.services import refresh_all_programs
from sources.models import Source

# Dependency order; natural keys make a second load update the same rows.
FIXTURES = ["sources", "institutions", "companies", "programs", "collaborations", "policies", "policy_links"]


class Command(BaseCommand):
    help = "Load the records derived from the five articles in seeds/ (idempotent)."

    @bulk_change()
    @transaction.atomic
    def handle(self, *args, **options):
        call_command("loaddata", *FIXTURES, verbosity=options["verbosity"])
        # Raw fixture saves skip the models' save(): derive each program's stage from its developments here.
        refresh_all_programs(record_history=False)
        # loaddata rewrote each source without its text; put the article back from seeds/.
        for source in Source.objects.exclude(seed_file=""):
            Source.objects.filter(pk=source.pk).update(text=source.read_seed_text())
        # Quotes are checked against the text, so they go in last; a quote not in its article stops it all.
        try:
            load_evidence(settings.BASE_DIR / "fixtures" / "evidence.json")
        except EvidenceFixtureError as error:
            raise CommandError(str(error)) from error
        # Raw fixture saves write no history: give every record its first entry (skipped once it has one).
        call_command("populate_history", auto=True, verbosity=0)
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Loaded {Source.objects.count()} sources and their records."))
