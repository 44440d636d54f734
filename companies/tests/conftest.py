import pytest
from django.contrib.auth.models import Permission, User


@pytest.fixture
def editor(api):
    """A staff user allowed to edit (and delete) companies, institutions and collaborations, signed in to ``api``."""
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="companies"))
    api.force_authenticate(user)
    return user
