"""Keep a program's derived stage right when its developments change (its search text: the search app)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Development, TherapyProgram


def deleting_program(origin):
    return isinstance(origin, TherapyProgram) or getattr(origin, "model", None) is TherapyProgram


@receiver(post_save, sender=Development)
def development_saved(sender, instance, raw=False, **kwargs):
    program = TherapyProgram.objects.get(pk=instance.program_id)
    # Loading fixtures rewrites rows as they are in the file: no history entry for that.
    program.refresh_stage(record_history=not raw)


@receiver(post_delete, sender=Development)
def development_deleted(sender, instance, origin=None, **kwargs):
    if deleting_program(origin):
        return
    program = TherapyProgram.objects.filter(pk=instance.program_id).first()
    if program is not None:
        program.refresh_stage()
