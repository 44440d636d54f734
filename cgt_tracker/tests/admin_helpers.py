"""Helpers for the admin's tests in every app: URLs, the form a browser posts back, the rows a changelist shows."""

from django.contrib import admin
from django.urls import reverse


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def posted(response, **changes):
    """What a browser posts back from the admin form in ``response``, with ``changes`` applied."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return {**data, **changes}


def changelist_pks(response):
    return {record.pk for record in response.context["cl"].result_list}


def admin_form(model, request):
    return admin.site._registry[model].get_form(request)
