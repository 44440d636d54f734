"""Keep a program's derived stage right whenever one of its developments changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Development, TherapyProgram


@receiver(post_save, sender=Development)
def development_saved(sender, instance, raw=False, **kwargs):
    if raw:
        # Loading fixtures rewrites rows as they are in the file: set the stage without a history entry.
        program = TherapyProgram.objects.filter(pk=instance.program_id)
        program.update(stage=program.get().derived_stage())
    else:
        instance.program.refresh_stage()


@receiver(post_delete, sender=Development)
def development_deleted(sender, instance, origin=None, **kwargs):
    if isinstance(origin, TherapyProgram) or getattr(origin, "model", None) is TherapyProgram:
        return  # the program itself is being deleted
    program = TherapyProgram.objects.filter(pk=instance.program_id).first()
    if program is not None:
        program.refresh_stage()
