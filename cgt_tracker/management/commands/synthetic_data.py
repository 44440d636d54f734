from django.core.management import BaseCommand, CommandError

from cgt_tracker import synthetic


class Command(BaseCommand):
    help = (
        "Generate a synthetic data set for load testing (default: 100,000 programs, 10,000 companies, "
        "2,000 institutions), or remove it with --remove. Synthetic records cite the 'synthetic-data' "
        "source and have slugs starting with 'syn-'; article-derived records are never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programs", type=int, default=100_000)
        parser.add_argument("--companies", type=int, default=10_000)
        parser.add_argument("--institutions", type=int, default=2_000)
        parser.add_argument("--seed", type=int, default=1, help="Random seed, for a repeatable data set.")
        parser.add_argument("--remove", action="store_true", help="Delete every synthetic record instead.")

    def handle(self, *args, **options):
        progress = options["verbosity"] > 0
        if options["remove"]:
            removed = synthetic.remove(progress=progress)
            self.stdout.write(self.style.SUCCESS(f"Removed the synthetic data set ({removed} programs)."))
            return
        sizes = {key: options[key] for key in ("programs", "companies", "institutions")}
        if any(n < 0 for n in sizes.values()):
            raise CommandError("Sizes must be zero or more.")
        if sizes["programs"] and not sizes["companies"] and not synthetic._ids(synthetic.Company):
            raise CommandError("Synthetic programs need synthetic companies: pass --companies > 0.")
        synthetic.generate(**sizes, seed=options["seed"], progress=progress)
        self.stdout.write(
            self.style.SUCCESS("Generated synthetic data: " + ", ".join(f"{v} {k}" for k, v in sizes.items()))
        )
