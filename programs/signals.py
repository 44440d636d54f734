"""Keep a program's search text right when a record it quotes is renamed or its targets change.

The derived ``stage`` (and the search text's indications) are not kept here but by
``programs.services.refresh_programs``, which every development write calls in its transaction.
"""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from companies.models import Company

from .models import Indication, Target, TherapyProgram


@receiver(m2m_changed, sender=TherapyProgram.targets.through)
def targets_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    programs = TherapyProgram.objects.filter(pk__in=pk_set or ()) if reverse else [instance]
    for program in programs:
        program.refresh_search_document()


@receiver(post_save, sender=Company)
@receiver(post_save, sender=Target)
@receiver(post_save, sender=Indication)
def named_relation_saved(sender, instance, created=False, **kwargs):
    """A renamed company, target or indication changes the search text of its programs."""
    if created:
        return
    if sender is Indication:
        programs = TherapyProgram.objects.filter(developments__indication=instance).distinct()
    else:
        programs = instance.programs.all()
    for program in programs.select_related("company"):
        program.refresh_search_document()
