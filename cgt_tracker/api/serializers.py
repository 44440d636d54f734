"""Base pieces of every serializer of the API.

One rule for relations, the same on every resource:

* a record that another one points to (a program's ``company``, a milestone's ``authority``…)
  is read as ``{"slug", "name"}`` and written as its slug (or ``null`` where it is optional);
* lists of related records (``targets``, ``designations``, ``sources``…) are read and written
  as lists of keys: slugs, target symbols, designation codes.
"""

import copy

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.utils import model_meta

from cgt_tracker.duplicates import duplicate_message, near_duplicates
from evidence.models import replace_evidence


def key_field(model):
    """The unique field a record is addressed by in the API (a target's symbol, a designation's code)."""
    for name in ("slug", "symbol", "code"):
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return name
    return "pk"


class KeyField(serializers.SlugRelatedField):
    """A related record, read and written as its key (slug, symbol or code)."""

    default_error_messages = {
        "does_not_exist": _("There is no record with {slug_name} “{value}”."),
        "invalid": _("Expected the key of a record as a string (its slug, symbol or code)."),
        "null_characters": _("Null characters are not allowed."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if "\x00" in data:  # PostgreSQL cannot even look such a key up
            self.fail("null_characters")
        return super().to_internal_value(data)


class RefField(KeyField):
    """A record pointed to: read as ``{"slug", "name"}``, written as its slug."""

    def to_representation(self, obj):
        return {"slug": getattr(obj, self.slug_field), "name": str(obj)}


class StrictCharField(serializers.CharField):
    """Text, and only text: ``0`` or ``true`` for a string field is an error, not quietly turned into ``"0"``."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictSlugField(StrictCharField, serializers.SlugField):
    pass


class StrictDecimalField(serializers.DecimalField):
    """A decimal written as it is read: a string ("12.5"), never a float that may not be exact."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class RecordSerializer(serializers.ModelSerializer):
    """Relations by key (see the module docstring), a ``url`` to the record's API detail, and the model's
    own validation (``full_clean``: constraints with their messages, ``clean()``) before anything is saved."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
        models.DecimalField: StrictDecimalField,
    }

    def build_field(self, field_name, info, model_class, nested_depth):
        if field_name == "evidence":
            from evidence.api import EvidenceItemSerializer  # evidence.api builds on this module

            return EvidenceItemSerializer, {
                "many": True,
                "required": False,
                "help_text": _("Quotes backing the record."),
            }
        if field_name == self.url_field_name:  # the API link, even where the model has a ``url`` of its own
            return self.build_url_field(field_name, model_class)
        return super().build_field(field_name, info, model_class, nested_depth)

    def build_relational_field(self, field_name, relation_info):
        _, kwargs = super().build_relational_field(field_name, relation_info)
        kwargs["slug_field"] = key_field(relation_info.related_model)
        return (KeyField if relation_info.to_many else RefField), kwargs

    def build_url_field(self, field_name, model_class):
        lookup = key_field(model_class)
        return serializers.HyperlinkedIdentityField, {
            "view_name": f"api:{model_class._meta.model_name}-detail",
            "lookup_field": lookup,
            "help_text": _("This record in the API."),
        }

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.JSONField):
            # Every JSON column here holds a list of strings (aliases, goals, trial ids).
            kwargs = {key: kwargs[key] for key in ("required", "help_text", "label", "read_only") if key in kwargs}
            return serializers.ListField, {**kwargs, "child": StrictCharField()}
        return field_class, kwargs

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        relations = model_meta.get_field_info(model).relations
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            if name != "evidence" and not (name in relations and relations[name].to_many):
                setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        return attrs

    @transaction.atomic
    def create(self, validated_data):
        evidence = validated_data.pop("evidence", None)
        instance = super().create(validated_data)
        self.save_evidence(instance, evidence)
        return instance

    @transaction.atomic
    def update(self, instance, validated_data):
        evidence = validated_data.pop("evidence", None)
        instance = super().update(instance, validated_data)
        self.save_evidence(instance, evidence)
        return instance

    def save_evidence(self, instance, evidence):
        if evidence is not None:
            replace_evidence(instance, evidence)


class NearDuplicateCheck(serializers.Serializer):
    """Adding a record whose name nearly matches an existing one's is refused unless ``confirm_new`` is true."""

    confirm_new = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=_("Add the record even though its name nearly matches an existing record's."),
    )

    def validate(self, attrs):
        confirmed = attrs.pop("confirm_new", False)
        attrs = super().validate(attrs)
        if self.instance is None and not confirmed:
            name_field = getattr(self.Meta.model, "slug_source_field", "name")
            names = [attrs.get(name_field), attrs.get(f"{name_field}_zh"), *attrs.get("aliases", [])]
            candidates = near_duplicates(self.Meta.model, names)
            if candidates:
                message = gettext('%(duplicates)s Send "confirm_new": true to add it anyway.') % {
                    "duplicates": duplicate_message(candidates)
                }
                raise serializers.ValidationError({name_field: [message]})
        return attrs
