"""Near-duplicate names: "Juventas Cell Therapy" is "Juventas Cell Therapy Ltd.", whatever the case or punctuation.

Adding a company, institution or program whose name (or an alias, or its Chinese name) nearly matches
an existing record's is asked about first, in the admin, the API and intake. Names are compared by a
key that drops case, punctuation, spaces and legal suffixes ("Ltd.", "Co.", "有限公司"); keys that
differ by a character or two in a long name count as near too.
"""

import re
import unicodedata
from difflib import SequenceMatcher

from django.utils.translation import gettext

LEGAL_SUFFIXES = re.compile(
    r"(?:\b(?:co|ltd|limited|inc|incorporated|corp|corporation|company|llc|plc|gmbh|sa|ag)\b[\s.,]*)+$"
)
CHINESE_SUFFIXES = re.compile(r"(?:股份)?(?:有限)?(?:责任)?公司$")
NEAR_RATIO = 0.92
NEAR_MIN_LENGTH = 10


def name_key(name):
    """What is left of a name to compare: lower case letters and digits, no legal suffix."""
    text = unicodedata.normalize("NFKC", name or "").casefold().strip()
    text = CHINESE_SUFFIXES.sub("", text)
    text = re.sub(r"[^\w\s]", " ", text)
    for _ in range(2):  # "Co., Ltd."
        text = LEGAL_SUFFIXES.sub("", text.strip())
    return re.sub(r"[\W_]+", "", text)


def _near(key, other):
    if key == other:
        return True
    if min(len(key), len(other)) < NEAR_MIN_LENGTH or key[:3] != other[:3]:
        return False
    return SequenceMatcher(None, key, other).ratio() >= NEAR_RATIO


def near_duplicates(model, names, *, exclude_pk=None):
    """Records of ``model`` one of whose names nearly matches one of ``names``."""
    keys = {name_key(name) for name in names if name and name_key(name)}
    if not keys:
        return []
    name_field = getattr(model, "slug_source_field", "name")
    zh_field = f"{name_field}_zh"
    found = []
    rows = model._default_manager.exclude(pk=exclude_pk).values_list("pk", name_field, zh_field, "aliases")
    for pk, name, name_zh, aliases in rows.iterator(chunk_size=2000):
        if any(_near(key, name_key(other)) for other in (name, name_zh, *aliases) if other for key in keys):
            found.append(pk)
    return list(model._default_manager.filter(pk__in=found))


def duplicate_message(candidates):
    names = "; ".join(f"{record} ({record.slug})" for record in candidates)
    return gettext("This looks like a record that already exists: %(names)s.") % {"names": names}
