"""The API's JSON renderer: orjson's speed, DRF's bytes."""

import pytest
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from cgt_tracker.api.renderers import JSONRenderer


@pytest.mark.parametrize(
    "data",
    [
        {"title": "line\u2028separator, paragraph\u2029separator, both\u2028\u2029twice\u2028"},
        {"names": ["细胞“注射液”—", "\u2029"], "count": 2, "nested": {"empty": [], "none": None}},
        [],
    ],
)
def test_renders_the_bytes_drf_renders(data):
    assert JSONRenderer().render(data) == DRFJSONRenderer().render(data)
