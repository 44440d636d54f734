from django import template

register = template.Library()


@register.inclusion_tag("evidence/cite.html", takes_context=True)
def cite(context, record, field=""):
    """The footnote numbers of the quotes that back ``record``'s ``field`` (or the whole record)."""
    footnotes = context.get("footnotes")
    return {"notes": footnotes.for_field(record, field) if footnotes else []}
