"""``manage.py verify_evidence``: exit non-zero and list every record whose facts are not backed by a found quote."""

from django.core.management import BaseCommand, CommandError
from tqdm import tqdm

from evidence.checks import problems


class Command(BaseCommand):
    help = (
        "Check that every record of the evidenced kinds has evidence, that every quote is in its source's "
        "text, and that a record quotes every source it cites."
    )

    def handle(self, *args, **options):
        show_progress = options["verbosity"] > 0 and self.stderr.isatty()
        found = list(problems(progress=lambda rows: tqdm(rows, disable=not show_progress, leave=False)))
        for problem in found:
            self.stdout.write(str(problem))
        if found:
            raise CommandError(f"{len(found)} problem(s) with evidence.")
        self.stdout.write(self.style.SUCCESS("Every record has evidence, and every quote is in its source."))
