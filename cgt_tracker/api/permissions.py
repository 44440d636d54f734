from rest_framework import permissions


class ReadOnlyOrModelPermissions(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """Anyone reads; writing needs an authenticated user holding the model's add/change/delete permission."""
