"""The Chinese catalog covers every interface string: `make messages` would leave nothing untranslated or fuzzy."""

import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command

PROJECT = settings.BASE_DIR
CATALOG = PROJECT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
NOT_SOURCE = {"locale", "staticfiles", "bench", "seeds", "fixtures", "docs", "screenshots", "tests"}

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")


def statistics(po_file):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_file)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stderr.strip()


def complete(po_file):
    """Every entry translated: msgfmt counts no untranslated entry and no fuzzy one."""
    return re.fullmatch(r"\d+ translated messages?\.", statistics(po_file)) is not None


def test_the_committed_catalog_is_complete_and_valid():
    assert complete(CATALOG), statistics(CATALOG)


def test_the_catalog_keeps_no_obsolete_entry():
    """`make messages` drops the entries no source uses any more: none is left behind, commented out (#~)."""
    assert [line for line in CATALOG.read_text().splitlines() if line.startswith("#~")] == []


def test_makemessages_finds_no_string_the_catalog_lacks(tmp_path, monkeypatch, settings):
    """Run `makemessages` (as `make messages` does) over the sources, against a copy of the catalog."""
    for path in PROJECT.iterdir():
        if path.is_dir() and not path.name.startswith(".") and path.name not in NOT_SOURCE:
            (tmp_path / path.name).symlink_to(path)
    copy = tmp_path / CATALOG.relative_to(PROJECT)
    copy.parent.mkdir(parents=True)
    shutil.copy(CATALOG, copy)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)

    call_command("makemessages", locale=["zh_Hans"], symlinks=True, no_obsolete=True, add_location="file", verbosity=0)

    assert complete(copy), f"{statistics(copy)}: run `make messages` and translate the new entries"
