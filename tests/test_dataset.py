"""export_dataset / import_dataset: the whole dataset in one file, restored exactly, all or nothing."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import CommandError, call_command
from model_bakery import baker
from rest_framework.test import APIClient

from cgt_tracker.api.urls import router
from cgt_tracker.dataset import DatasetError, export_dataset, import_dataset
from companies.models import Company
from evidence.models import Evidence
from programs.models import TherapyProgram
from sources.models import Source

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def api_output():
    """Every resource's full list and every program's detail, as JSON."""
    cache.clear()
    api = APIClient()
    output = {}
    for prefix, _, _ in router.registry:
        output[prefix] = api.get(f"/api/{prefix}/?page_size=500").json()
        assert output[prefix]["next"] is None, f"more than one page of {prefix}"
    for slug in TherapyProgram.objects.values_list("slug", flat=True):
        output[f"programs/{slug}"] = api.get(f"/api/programs/{slug}/").json()
    for words in ["Dataset CAR-T", "数据", "car"]:  # the search index follows the imported rows
        output[f"search {words}"] = api.get("/api/programs/", {"search": words, "page_size": 500}).json()
    return output


def history_of(program):
    return [
        (h.history_date, h.history_type, h.history_user.username if h.history_user else None, h.stage)
        for h in program.history.order_by("history_date", "history_id")
    ]


@pytest.fixture
def edited_program(db):
    """A program with evidence, changed by a named user (so its history has more than a first entry)."""
    editor = User.objects.create_user("editor", password="pw", is_staff=True)
    program = baker.make(TherapyProgram, name="Dataset CAR-T", modality="car_t", aliases=["DS-1", "数据"])
    source = baker.make(Source, slug="dataset-article", text="The Dataset CAR-T program entered phase 1 in 2024.")
    Evidence(record=program, source=source, field="name", quote="The Dataset CAR-T program entered phase 1").save()
    program._history_user = editor
    program.description = "Changed by the editor."
    program.save()
    return program


def manage(*args, database_url):
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("DJANGO_CACHE_URL", None)
    subprocess.run([sys.executable, "manage.py", *args, "-v0"], cwd=ROOT, env=env, check=True)


def rows(path):
    """The rows of a dataset file, without its header (which carries the export time)."""
    return Path(path).read_text(encoding="utf-8").splitlines()[1:]


def test_export_then_import_gives_the_same_api_output(edited_program, tmp_path):
    before, history = api_output(), history_of(edited_program)
    assert before["search 数据"]["count"] == 1
    export_dataset(tmp_path / "dataset.jsonl")
    import_dataset(tmp_path / "dataset.jsonl", replace=True)
    assert api_output() == before
    restored = TherapyProgram.objects.get(pk=edited_program.pk)
    assert history_of(restored) == history
    assert [(e.source.slug, e.field, e.quote) for e in restored.evidence.all()] == [
        ("dataset-article", "name", "The Dataset CAR-T program entered phase 1")
    ]


def test_round_trip_through_an_empty_sqlite_database_and_back(edited_program, tmp_path):
    """This database (PostgreSQL in CI) -> a new, empty SQLite database -> back into this one."""
    before = api_output()
    first, second = tmp_path / "first.jsonl.gz", tmp_path / "second.jsonl"
    export_dataset(first)
    sqlite = f"sqlite:///{tmp_path / 'copy.sqlite3'}"
    manage("migrate", database_url=sqlite)
    manage("import_dataset", str(first), database_url=sqlite)  # an empty database: no --replace needed
    manage("export_dataset", str(second), database_url=sqlite)
    import_dataset(second, replace=True)
    assert api_output() == before
    export_dataset(tmp_path / "third.jsonl")
    assert rows(tmp_path / "third.jsonl") == rows(second)


def test_the_file_carries_history_and_names_users_not_ids(edited_program, tmp_path):
    export_dataset(tmp_path / "dataset.jsonl")
    lines = [json.loads(line) for line in (tmp_path / "dataset.jsonl").read_text().splitlines()]
    header, items = lines[0], lines[1:]
    assert header["users"] == ["editor"]
    history = [
        i for i in items if i["model"] == "programs.historicaltherapyprogram" and i["fields"]["id"] == edited_program.pk
    ]
    assert [h["fields"]["history_user"] for h in history] == [None, "editor"]
    assert not [i for i in items if i["model"].startswith("auth.")]  # no users, passwords or tokens
    [evidence] = [
        i
        for i in items
        if i["model"] == "evidence.evidence"
        and i["fields"]["object_id"] == edited_program.pk
        and i["fields"]["content_type"] == ["programs", "therapyprogram"]
    ]
    assert evidence["fields"]["quote"] == "The Dataset CAR-T program entered phase 1"


def test_a_user_named_in_the_history_is_created_inactive_where_missing(edited_program, tmp_path):
    export_dataset(tmp_path / "dataset.jsonl")
    User.objects.filter(username="editor").update(username="renamed")
    import_dataset(tmp_path / "dataset.jsonl", replace=True)
    user = User.objects.get(username="editor")
    assert not user.is_active
    assert not user.has_usable_password()
    assert TherapyProgram.objects.get(pk=edited_program.pk).history.first().history_user == user


def test_a_database_holding_records_is_refused(tmp_path):
    export_dataset(tmp_path / "dataset.jsonl")
    Company.objects.filter(pk=Company.objects.first().pk).update(name="Untouched")
    with pytest.raises(CommandError, match=r"already holds records.*--replace"):
        call_command("import_dataset", str(tmp_path / "dataset.jsonl"), verbosity=0)
    assert Company.objects.filter(name="Untouched").exists()


def test_a_damaged_file_writes_nothing(tmp_path):
    export_dataset(tmp_path / "dataset.jsonl")
    lines = (tmp_path / "dataset.jsonl").read_text().splitlines()
    (tmp_path / "damaged.jsonl").write_text("\n".join(lines[:-3]) + "\n")
    counts, before = TherapyProgram.objects.count(), api_output()
    with pytest.raises(DatasetError, match="incomplete or damaged"):
        import_dataset(tmp_path / "damaged.jsonl", replace=True)
    assert TherapyProgram.objects.count() == counts
    assert api_output() == before


def test_a_file_of_another_kind_is_refused(tmp_path):
    (tmp_path / "other.json").write_text('{"format": "something else"}\n')
    with pytest.raises(CommandError, match=r"Nothing was imported: .* is not a cgt-tracker-dataset file"):
        call_command("import_dataset", str(tmp_path / "other.json"), "--replace", verbosity=0)


def test_the_commands_show_progress(tmp_path):
    stderr, stdout = io.StringIO(), io.StringIO()
    call_command("export_dataset", str(tmp_path / "d.jsonl"), stdout=stdout, stderr=stderr)
    call_command("import_dataset", str(tmp_path / "d.jsonl"), "--replace", stdout=stdout, stderr=stderr)
    assert "export: 100%" in stderr.getvalue()
    assert "import: 100%" in stderr.getvalue()
    assert "Imported" in stdout.getvalue()
