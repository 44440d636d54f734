"""``manage.py import_dataset FILE``: restore a file written by export_dataset, all or nothing."""

from django.core.management import BaseCommand, CommandError
from tqdm import tqdm

from cgt_tracker.dataset import DatasetError, import_dataset


class Command(BaseCommand):
    help = (
        "Load a file written by export_dataset into an empty database (every record, its evidence and history, "
        "with their keys and timestamps). All or nothing; a database that holds records is refused unless --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--replace", action="store_true", help="Delete every record in the database first.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, file, replace, database, verbosity, **options):
        bars = []

        def progress(total):
            bars.append(tqdm(total=total, unit="row", desc="import", disable=verbosity == 0, file=self.stderr))
            return bars[-1]

        try:
            counts = import_dataset(file, replace=replace, using=database, progress=progress)
        except (DatasetError, OSError) as error:
            raise CommandError(f"Nothing was imported: {error}") from error
        finally:
            for bar in bars:
                bar.close()
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(f"Imported {sum(counts.values())} rows of {len(counts)} models from {file}.")
            )
