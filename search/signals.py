"""Keep programs' search text current on every write that changes what it holds.

Each receiver names the programs a change touches and hands them to ``refresh_programs``. Fixture
loads (raw saves) are included: a program loaded with no targets or developments is searchable too.
Development writes are not here: ``programs.services.refresh_programs``, which every development write
calls in its transaction, refreshes the search text with the stage.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from companies.models import Company
from programs.models import Indication, Target, TherapyProgram

from .documents import refresh_programs

# A save limited to other fields (``refresh_stage`` saves only ``stage``) leaves the search text as it is.
PROGRAM_FIELDS = {"name", "name_zh", "aliases", "description", "modality", "company", "originator"}


@receiver(post_save, sender=TherapyProgram)
def program_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is None or PROGRAM_FIELDS & set(update_fields):
        refresh_programs([instance.pk])


@receiver(m2m_changed, sender=TherapyProgram.targets.through)
def targets_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:
        # After the clear nothing says which programs the target had.
        instance._search_programs = list(instance.programs.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove"}:
        refresh_programs(pk_set if reverse else [instance.pk])
    elif action == "post_clear":
        refresh_programs(instance.__dict__.pop("_search_programs", []) if reverse else [instance.pk])


def related_programs(instance):
    if isinstance(instance, Company):
        return TherapyProgram.objects.filter(Q(company=instance) | Q(originator=instance))
    if isinstance(instance, Indication):
        return TherapyProgram.objects.filter(developments__indication=instance)
    return instance.programs.all()


@receiver(post_save, sender=Company)
@receiver(post_save, sender=Target)
@receiver(post_save, sender=Indication)
def named_relation_saved(sender, instance, created=False, **kwargs):
    """A renamed company, target or indication (or a new alias, Chinese name...) changes its programs' text."""
    if not created:
        refresh_programs(related_programs(instance).values_list("pk", flat=True))


@receiver(pre_delete, sender=Target)
def target_deleting(sender, instance, **kwargs):
    instance._search_programs = list(instance.programs.values_list("pk", flat=True))


@receiver(post_delete, sender=Target)
def target_deleted(sender, instance, **kwargs):
    refresh_programs(instance.__dict__.pop("_search_programs", []))
