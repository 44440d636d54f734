"""``manage.py export_dataset FILE``: every record, its evidence and history, in one portable file."""

from django.core.management import BaseCommand, CommandError
from tqdm import tqdm

from cgt_tracker.dataset import DatasetError, export_dataset


class Command(BaseCommand):
    help = "Write every record with its evidence and history to FILE (JSON Lines; gzip if it ends in .gz)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database", default="default")

    def handle(self, *args, file, database, verbosity, **options):
        bars = []

        def progress(total):
            bars.append(tqdm(total=total, unit="row", desc="export", disable=verbosity == 0, file=self.stderr))
            return bars[-1]

        try:
            counts = export_dataset(file, using=database, progress=progress)
        except DatasetError as error:
            raise CommandError(str(error)) from error
        finally:
            for bar in bars:
                bar.close()
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(f"Exported {sum(counts.values())} rows of {len(counts)} models to {file}.")
            )
