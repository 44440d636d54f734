"""Keep a program's derived fields (stage, search text) right when what they derive from changes."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from companies.models import Company

from .models import Development, Indication, Target, TherapyProgram


def _deleting_program(origin):
    return isinstance(origin, TherapyProgram) or getattr(origin, "model", None) is TherapyProgram


@receiver(post_save, sender=Development)
def development_saved(sender, instance, raw=False, **kwargs):
    program = TherapyProgram.objects.get(pk=instance.program_id)
    # Loading fixtures rewrites rows as they are in the file: no history entry for that.
    program.refresh_stage(record_history=not raw)
    program.refresh_search_document()


@receiver(post_delete, sender=Development)
def development_deleted(sender, instance, origin=None, **kwargs):
    if _deleting_program(origin):
        return
    program = TherapyProgram.objects.filter(pk=instance.program_id).first()
    if program is not None:
        program.refresh_stage()
        program.refresh_search_document()


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
