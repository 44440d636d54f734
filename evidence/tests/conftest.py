import pytest
from django.contrib.auth.models import Permission, User
from model_bakery import baker
from rest_framework.test import APIClient

from companies.models import Company
from sources.models import Source

ARTICLE = (
    "Acme Cell Therapy, founded in Suzhou in 2015, said on Monday that its “ACM-01” CAR-T program "
    "has entered phase II — the first in its class. The company’s chairman said: “We are proud.”\n\n"
    "The trial is recruiting patients at Suzhou Hospital（苏州医院）。"
)


@pytest.fixture
def source():
    return baker.make(Source, slug="acme-news", title="Acme news", text=ARTICLE)


@pytest.fixture
def company(source):
    company = baker.make(Company, name="Acme Cell Therapy", slug="acme")
    company.sources.add(source)
    return company


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def editor(api):
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="companies"))
    api.force_authenticate(user)
    return user
