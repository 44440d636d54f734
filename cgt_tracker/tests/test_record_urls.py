import pytest
from django.urls import reverse, set_script_prefix

from cgt_tracker.record_urls import record_url

SLUG_ROUTES = [
    "programs:program_detail",
    "programs:indication_detail",
    "companies:company_detail",
    "companies:institution_detail",
    "companies:collaboration_detail",
    "sources:source_detail",
    "policies:policy_detail",
]


@pytest.mark.parametrize("view_name", SLUG_ROUTES)
@pytest.mark.parametrize("slug", ["cnct19", "car-t_2", "B"])
def test_a_record_url_is_what_reverse_makes(view_name, slug):
    assert record_url(view_name, slug) == reverse(view_name, args=[slug])


@pytest.mark.parametrize("symbol", ["CD19", "IL-13Rα2", "B细胞成熟抗原", "a b&c", "x?y#z", "50%"])
def test_a_target_url_quotes_its_symbol_as_reverse_does(symbol):
    assert record_url("programs:target_detail", symbol) == reverse("programs:target_detail", args=[symbol])


def test_a_record_url_follows_the_script_prefix():
    set_script_prefix("/tracker/")
    try:
        assert record_url("programs:program_detail", "cnct19") == "/tracker/programs/cnct19/"
    finally:
        set_script_prefix("/")
