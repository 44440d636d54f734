"""Search text: how records and queries are normalised, and which words mean which modality.

A record's search text and a query go through the same ``normalize()``: NFKC (full-width letters
become ASCII), case folded, every run of punctuation a single space, and a space between Chinese and
Latin script ("CAR-T细胞" -> "car t 细胞"). A query is then split into patterns that must all occur in
the record's text:

- a Chinese word, or a Latin word of 3+ characters, anywhere ("juven" finds "Juventas", "细胞" finds
  "细胞注射液");
- a Latin word of 1-2 characters at the start of a word ("NK" finds "NK cell" and "CAR-NK", not "bank");
- a known modality phrase ("CAR T", "stem cell") as a phrase at the start of a word.

Nothing here depends on the active language: modality labels get translated, the synonyms do not.
"""

import re
import unicodedata

from programs.choices import Modality

# A trigram index serves patterns of at least this many characters; shorter ones need a scan.
TRIGRAM = 3

# The names each modality goes by, in English and Chinese; the first is its label.
MODALITY_TERMS = {
    Modality.CAR_T: ("CAR-T", "chimeric antigen receptor T cell", "CAR-T细胞"),
    Modality.CAR_NK: ("CAR-NK", "NK cell", "natural killer cell", "CAR-NK细胞", "NK细胞"),
    Modality.NK: ("NK cell", "natural killer cell", "NK细胞", "自然杀伤细胞"),
    Modality.TCR_T: ("TCR-T", "T cell receptor", "TCR-T细胞"),
    Modality.TIL: ("TIL", "tumour-infiltrating lymphocyte", "tumor-infiltrating lymphocyte", "肿瘤浸润淋巴细胞"),
    Modality.DC: ("Dendritic cell", "DC", "树突状细胞"),
    Modality.MSC: ("Mesenchymal stem cell", "MSC", "mesenchymal stromal cell", "stem cell", "间充质干细胞", "干细胞"),
    Modality.IPSC: ("iPSC-derived", "induced pluripotent stem cell", "stem cell", "诱导多能干细胞", "干细胞"),
    Modality.HSC: (
        "Haematopoietic stem cell",
        "hematopoietic stem cell",
        "HSC",
        "stem cell",
        "造血干细胞",
        "干细胞",
    ),
    Modality.GENE_THERAPY: ("Gene therapy", "基因治疗"),
    Modality.GENE_EDITING: ("Gene editing", "基因编辑"),
    Modality.OTHER_CELL: ("Other cell therapy", "cell therapy", "细胞治疗"),
    # The article does not say what kind of therapy it is: nothing to find it by but its own names.
    Modality.NOT_STATED: (),
}

# Spellings without a separator, as people type them.
_JOINED = {"cart": "car t", "carnk": "car nk", "tcrt": "tcr t"}

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_PUNCTUATION = re.compile(r"[\W_]+")
_SCRIPT_CHANGE = re.compile(rf"(?<=[{_CJK}])(?=[^\s{_CJK}])|(?<=[^\s{_CJK}])(?=[{_CJK}])")
_HAS_CJK = re.compile(rf"[{_CJK}]")

# Parts of a document are joined by a separator no pattern contains, so no phrase spans two parts.
_PART_SEPARATOR = " / "


def normalize(text):
    text = _PUNCTUATION.sub(" ", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(_SCRIPT_CHANGE.sub(" ", text).split())


_PHRASES = {
    phrase
    for terms in MODALITY_TERMS.values()
    for term in terms
    if " " in (phrase := normalize(term)) and not _HAS_CJK.search(phrase)
}
_LONGEST_PHRASE = max(len(phrase.split()) for phrase in _PHRASES)


def document(*parts):
    """The search text of a record made of ``parts`` (names, labels, related records' names...)."""
    normalized = dict.fromkeys(filter(None, (normalize(part) for part in parts if part)))
    return " " + _PART_SEPARATOR.join(normalized) + " " if normalized else ""


def patterns(query):
    """The substrings a record's search text must all contain to match ``query`` (none: nothing matches)."""
    words = " ".join(_JOINED.get(word, word) for word in normalize(query).split()).split()
    found, i = [], 0
    while i < len(words):
        for n in range(min(_LONGEST_PHRASE, len(words) - i), 1, -1):
            phrase = " ".join(words[i : i + n])
            if phrase in _PHRASES:
                found.append(" " + phrase)
                i += n
                break
        else:
            word = words[i]
            found.append(word if _HAS_CJK.search(word) or len(word) >= TRIGRAM else " " + word)
            i += 1
    return list(dict.fromkeys(found))


def matches(text, query):
    """Whether a search text matches a query: what the database does, in Python (tests compare them)."""
    found = patterns(query)
    return bool(found) and all(pattern in text for pattern in found)


def program_texts(*, names, modality, related):
    """A program's ``(search_names, search_document)``: its own names, and those plus everything around it.

    ``names``: name, Chinese name, aliases. ``related``: company names, targets, indications, registry
    and acceptance numbers, description.
    """
    return document(*names), document(*names, *MODALITY_TERMS.get(modality, ()), *related)
