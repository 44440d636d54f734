"""The intake page of a source, in the admin: its mentions, each one click from evidence or a new record."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from cgt_tracker.duplicates import near_duplicates
from evidence.text import marked_segments
from sources.models import Source

from .mentions import Kind, find_mentions
from .services import accept_mention, quote_for, record_models

# Where a proposed new name is most likely to belong, by how it ends.
INSTITUTION_ENDINGS = (
    "hospital",
    "university",
    "institute",
    "academy",
    "center",
    "centre",
    "医院",
    "大学",
    "研究所",
    "研究院",
)


def add_form_url(name, source):
    """The admin add form of the record a new name most likely is, pre-filled with the name and the source."""
    lowered = name.lower().rstrip(".")
    if any(lowered.endswith(ending) for ending in INSTITUTION_ENDINGS):
        view = "admin:companies_institution_add"
    elif any(char.isdigit() for char in name) and " " not in name:
        view = "admin:programs_therapyprogram_add"
    else:
        view = "admin:companies_company_add"
    return f"{reverse(view)}?{urlencode({'name': name, 'sources': source.pk})}"


def proposals(source, mentions):
    """One row per mention: what it is, whether the record already cites the source, what one click does."""
    models = record_models()
    cited = {
        kind: set(
            getattr(source, f"{model._meta.app_label}_{model._meta.model_name}_set").values_list("slug", flat=True)
        )
        for kind, model in models.items()
    }
    rows = []
    for mention in mentions:
        row = {"mention": mention, "quote": quote_for(source.text, mention.start, mention.end)}
        if mention.kind in models:
            row["record_url"] = (
                reverse(
                    f"admin:{models[mention.kind]._meta.app_label}_{models[mention.kind]._meta.model_name}_changelist"
                )
                + "?"
                + urlencode({"q": mention.slug})
            )
            row["cites"] = mention.slug in cited[mention.kind]
            row["can_accept"] = True
        elif mention.kind == Kind.NAME:
            row["add_url"] = add_form_url(mention.text, source)
            row["looks_like"] = [
                record for model in models.values() for record in near_duplicates(model, [mention.text])
            ]
        rows.append(row)
    return rows


def intake_view(request, model_admin, object_id):
    source = get_object_or_404(Source, pk=object_id)
    if not model_admin.has_view_permission(request, source):
        raise PermissionDenied
    if request.method == "POST":
        if not request.user.has_perm("evidence.add_evidence"):
            raise PermissionDenied
        return accept(request, source)
    mentions = find_mentions(source.text)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Source._meta,
        "original": source,
        "source": source,
        "title": gettext("Intake: %(source)s") % {"source": source},
        "rows": proposals(source, mentions),
        "marked_text": marked_segments(source.text, [(m.start, m.end, m) for m in mentions]),
        "can_accept": request.user.has_perm("evidence.add_evidence"),
    }
    return TemplateResponse(request, "intake/intake.html", context)


def accept(request, source):
    back = reverse("admin:sources_source_intake", args=[source.pk])
    try:
        kind, slug = request.POST["kind"], request.POST["slug"]
        start, end = int(request.POST["start"]), int(request.POST["end"])
        if kind not in record_models() or not (0 <= start < end <= len(source.text)):
            raise ValueError
        evidence = accept_mention(source=source, kind=kind, slug=slug, start=start, end=end)
    except (KeyError, ValueError):
        messages.error(request, gettext("That proposal is not one this page made; reload the page and try again."))
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    except ObjectDoesNotExist:
        message = gettext("There is no %(kind)s “%(slug)s” any more.")
        messages.error(request, message % {"kind": request.POST["kind"], "slug": request.POST["slug"]})
    else:
        message = gettext("%(record)s now cites this article, quoting: “%(quote)s”")
        messages.success(request, message % {"record": evidence.record, "quote": evidence.quote})
    return HttpResponseRedirect(back)
