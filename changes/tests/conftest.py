import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def editor():
    """A staff user allowed to edit programs, developments and milestones."""
    user = User.objects.create_user("history-editor", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="programs",
            content_type__model__in=["therapyprogram", "development", "milestone"],
        )
    )
    return user


@pytest.fixture
def editor_api(editor):
    api = APIClient()
    api.force_authenticate(editor)
    return api
