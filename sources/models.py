from django.conf import settings
from django.db import models
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from cgt_tracker.models import DatePrecision, SluggedQuerySet, TimeStampedModel, format_partial_date, unique_slug
from cgt_tracker.record_urls import record_url
from cgt_tracker.web_addresses import validate_web_address

SEEDS_DIR = settings.BASE_DIR / "seeds"


class Source(TimeStampedModel):
    """A news article that records cite; its full text is kept so every claim can be checked."""

    slug = models.SlugField(
        max_length=80, unique=True, blank=True, help_text=_("Left blank, made from the title."), verbose_name=_("slug")
    )
    title = models.CharField(max_length=500, verbose_name=_("title"))
    publisher = models.CharField(
        max_length=255, blank=True, help_text=_("Left blank where the article names none."), verbose_name=_("publisher")
    )
    published_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("Left blank where the article gives no date."),
        verbose_name=_("published on"),
    )
    published_on_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY, verbose_name=_("published on precision")
    )
    url = models.CharField(
        _("web address"),
        max_length=500,
        blank=True,
        validators=[validate_web_address],
        help_text=_("Where the article was published: an http(s) address, or a host name as written."),
    )
    seed_file = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("File in seeds/ that holds the article's text, if any."),
        verbose_name=_("seed file"),
    )
    text = models.TextField(blank=True, help_text=_("The article's full text."), verbose_name=_("text"))

    objects = SluggedQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Source, self.title, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return record_url("sources:source_detail", self.slug)

    def citing_records(self):
        """The records that cite this source through their ``sources`` lists."""
        return [
            record
            for relation in self._meta.related_objects
            if relation.many_to_many
            for record in getattr(self, relation.get_accessor_name()).all()
        ]

    def delete(self, *args, **kwargs):
        # Deleting would silently drop the citations from every source list; foreign keys that cite a
        # source (a milestone's, a development's) are protected by the database in the same way.
        citing = self.citing_records()
        if citing:
            raise ProtectedError(f"“{self}” is cited by {len(citing)} record(s).", set(citing))
        return super().delete(*args, **kwargs)

    @property
    def published_display(self):
        return format_partial_date(self.published_on, self.published_on_precision)

    def read_seed_text(self):
        """The article's text as stored in ``seeds/`` (empty if it has no seed file)."""
        if not self.seed_file:
            return ""
        return (SEEDS_DIR / self.seed_file).read_text(encoding="utf-8")
