"""The dashboard's stage × modality matrix and milestones per year."""

import re
from datetime import date

import pytest
from model_bakery import baker

from programs.models import Milestone
from sources.models import Source

from .factories import develop, make_program

pytestmark = pytest.mark.django_db


def test_each_matrix_cell_links_to_the_list_filtered_to_it_and_counts_the_same(client):
    develop(make_program(modality="tcr_t"), "phase_3")
    html = client.get("/").content.decode()
    matrix = html.split('id="matrix-heading"', 1)[1].split("</table>", 1)[0]
    links = re.findall(r'<a href="(/programs/\?stage=(\w+)&amp;modality=(\w+))">(\d+)</a>', matrix)
    assert ("phase_3", "tcr_t") in {(stage, modality) for _, stage, modality, _ in links}
    for href, _, _, count in links:
        listed = client.get(href.replace("&amp;", "&")).context["paginator"].count
        assert listed == int(count), href


def test_milestones_are_counted_per_year(client):
    source = baker.make(Source, slug="years-source", title="Years")
    program = make_program()
    for kind in ("ind_filed", "ind_approved"):
        Milestone.objects.create(program=program, kind=kind, source=source, date=date(2031, 5, 1))
    html = client.get("/").content.decode()
    chart = html.split('id="years-heading"', 1)[1].split("</section>", 1)[0]
    assert "2031: 2" in chart
