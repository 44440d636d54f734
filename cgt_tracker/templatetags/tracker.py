"""Template helpers of the public pages: sortable column headers, SVG bar charts, partial dates."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cgt_tracker.models import format_partial_date
from cgt_tracker.web_addresses import web_address_href

register = template.Library()
register.filter("web_href", web_address_href)

CHART_WIDTH = 320
BAR_SPACE = 270  # the longest bar; the rest of the width holds its count
ROW_HEIGHT = 34
BAR_HEIGHT = 12

PROGRAM = _("program")  # what a bar chart counts, unless told otherwise

NAV = [
    (_("Programs"), "programs:program_list"),
    (_("Companies"), "companies:company_list"),
    (_("Institutions"), "companies:institution_list"),
    (_("Collaborations"), "companies:collaboration_list"),
    (_("Policies"), "policies:policy_list"),
    (_("Sources"), "sources:source_list"),
]


@register.simple_tag(takes_context=True)
def main_nav(context):
    """The site's sections as (label, url, aria-current value): "page" on a list, "true" below it."""
    request = context.get("request")
    path = request.path if request else ""
    links = []
    for label, name in NAV:
        url = reverse(name)
        links.append((label, url, "page" if path == url else "true" if path.startswith(url) else ""))
    return links


@register.inclusion_tag("includes/sort_header.html", takes_context=True)
def sort_header(context, field, label):
    """A column header; on a list page whose filter set orders by ``field``, a link that sorts by it."""
    current = context.get("ordering", "")
    direction = {field: "ascending", f"-{field}": "descending"}.get(current, "")
    href = ""
    if field in context.get("sortable_fields", {}):
        query = context["request"].GET.copy()
        query.pop("page", None)
        query["ordering"] = f"-{field}" if direction == "ascending" else field
        href = f"?{query.urlencode()}"
    return {"label": label, "href": href, "direction": direction}


@register.inclusion_tag("includes/bar_chart.html")
def bar_chart(values, chart_id, title, noun=PROGRAM):
    """A horizontal bar chart of facet values (label, count, optional link), drawn server-side as SVG."""
    peak = max((value.count for value in values), default=0) or 1
    bars = []
    for row, value in enumerate(values):
        width = round(value.count / peak * BAR_SPACE, 1)
        top = row * ROW_HEIGHT
        bars.append(
            {
                "value": value,
                "width": width,
                "label_y": top + 13,
                "bar_y": top + 17,
                "count_x": width + 5 if width else 0,
                "count_y": top + 28,
            }
        )
    return {
        "chart_id": chart_id,
        "title": title,
        "description": "; ".join(f"{value.label}: {value.count}" for value in values),
        "noun": noun,
        "bars": bars,
        "width": CHART_WIDTH,
        "height": max(len(values), 1) * ROW_HEIGHT,
        "bar_height": BAR_HEIGHT,
    }


@register.filter
def iso_partial(date, precision):
    """The ISO 8601 form of a date to the precision its source gave (``2020-06`` for "June 2020")."""
    return format_partial_date(date, precision, iso=True)
