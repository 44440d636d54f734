"""Policy documents: the rules the database keeps."""

import pytest
from django.db import IntegrityError, transaction
from model_bakery import baker

pytestmark = pytest.mark.django_db


def test_a_policy_period_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        baker.make("policies.PolicyDocument", title="Backwards", kind="action_plan", period_start=2025, period_end=2023)
