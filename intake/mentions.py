"""Mentions in an article: the known records it names, new names it proposes, stage and date phrases.

Known names (every name, alias and Chinese name of programs, companies, institutions and policies,
and every target symbol) go into one Aho–Corasick automaton (pyahocorasick), so an article is read
once whatever the number of names. The automaton is kept per process and built again when the data
version moves. Matching ignores case; a Latin name must stand as a whole word ("NK" is not found in
"think"), a Chinese one need not (Chinese has no spaces between words).

A mention is ``{"kind", "slug", "text", "start", "end"}`` with ``text == article[start:end]``.
"""

import re
import threading
from dataclasses import asdict, dataclass

import ahocorasick

from cgt_tracker.models import DataVersion
from evidence.text import TYPOGRAPHY


class Kind:
    PROGRAM = "program"
    COMPANY = "company"
    INSTITUTION = "institution"
    POLICY = "policy"
    TARGET = "target"
    NAME = "name"  # a proposed new record: no slug yet
    STAGE = "stage"
    DATE = "date"


RECORD_KINDS = (Kind.PROGRAM, Kind.COMPANY, Kind.INSTITUTION, Kind.POLICY, Kind.TARGET)


@dataclass(frozen=True)
class Mention:
    kind: str
    slug: str | None
    text: str
    start: int
    end: int

    def as_dict(self):
        return asdict(self)


# Typographic quotes and dashes, full-width forms (ＡＢＣ，：) and the ideographic space, each to one plain character.
_FOLD = {**TYPOGRAPHY, **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}, 0x3000: " "}


def fold(text):
    """Lower case and plain typography (’ is '), one character for one, so offsets stay offsets in ``text``."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters ("İ") grow when lowered: fold those one by one
        lowered = "".join(char.lower() if len(char.lower()) == 1 else char for char in text)
    return lowered.translate(_FOLD)


def _is_word_char(char):
    return char.isalnum() and char.isascii()


class NameIndex:
    """An automaton of known names; ``find(text)`` gives the record mentions in ``text``."""

    def __init__(self, entries):
        """``entries``: ``(kind, slug, name)`` for every name of every record."""
        self.automaton = ahocorasick.Automaton()
        for kind, slug, name in entries:
            key = fold(name.strip())
            if len(key) < 2:
                continue
            length, records = self.automaton.get(key, (len(key), ()))
            if (kind, slug) not in records:
                self.automaton.add_word(key, (length, (*records, (kind, slug))))
        if len(self.automaton):
            self.automaton.make_automaton()

    def __len__(self):
        return len(self.automaton)

    def find(self, text):
        if not len(self.automaton):
            return []
        found = []
        for last, (length, records) in self.automaton.iter(fold(text)):
            start, end = last - length + 1, last + 1
            if _stands_alone(text, start, end):
                found.extend(Mention(kind, slug, text[start:end], start, end) for kind, slug in records)
        return found


def _stands_alone(text, start, end):
    """A Latin name must not be part of a longer word: "NK" is not a mention inside "think"."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (
        (_is_word_char(text[start]) and _is_word_char(before))
        or (_is_word_char(text[end - 1]) and _is_word_char(after))
    )


def entries_from_database():
    """``(kind, slug, name)`` for every name the tracker knows."""
    from companies.models import Company, Institution
    from policies.models import PolicyDocument
    from programs.models import Target, TherapyProgram

    for kind, model, name_field, zh_field in (
        (Kind.PROGRAM, TherapyProgram, "name", "name_zh"),
        (Kind.COMPANY, Company, "name", "name_zh"),
        (Kind.INSTITUTION, Institution, "name", "name_zh"),
        (Kind.POLICY, PolicyDocument, "title", "title_zh"),
    ):
        for slug, name, name_zh, aliases in model.objects.values_list("slug", name_field, zh_field, "aliases"):
            for each in (name, name_zh, *aliases):
                if each:
                    yield kind, slug, each
    for symbol in Target.objects.values_list("symbol", flat=True):
        yield Kind.TARGET, symbol, symbol


def current_index():
    """The automaton of the names in the database, built again once the data version has moved."""
    version = DataVersion.current()
    with _Built.lock:
        if _Built.index is None or _Built.version != version:
            _Built.index = NameIndex(entries_from_database())
            _Built.version = version
        return _Built.index


def forget_index():
    """Drop this process's automaton; the next ``current_index()`` builds it again."""
    with _Built.lock:
        _Built.index = _Built.version = None


class _Built:
    lock = threading.Lock()
    version = None
    index = None


MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
PHRASES = {
    Kind.DATE: [
        rf"\b{MONTHS} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}\b",  # July 2, 2021; Jun. 21, 2021
        rf"\b\d{{1,2}} {MONTHS},? \d{{4}}\b",  # 2 July 2021
        rf"\b{MONTHS},? \d{{4}}\b",  # June 2020
        r"\b\d{4}-\d{2}-\d{2}\b",  # 2023-10-20
        r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?",  # 2021年7月2日, 2021年7月, 2021年
        r"\b(?:in|since|by|from|until|early|late|end of|beginning of|mid-)\s?\d{4}\b",  # in 2015
        rf"\b{MONTHS} \d{{1,2}}(?:st|nd|rd|th)?\b",  # June 23 (no year given)
    ],
    Kind.STAGE: [
        r"\bapproved for (?:marketing|market(?:ing)? access|listing)\b",
        r"\bmarketing (?:approval|authori[sz]ation|application)\b",
        r"\b(?:officially )?approved by the (?:National Medical Products Administration|NMPA)\b",
        r"\bphase (?:I{1,3}V?|[1-4])(?:\s?[/-]\s?(?:I{1,3}|[1-4]))?(?:[ab])?\b",
        r"\b(?:IND|NDA|BLA)\b",
        r"\bclinical trial (?:application|approval|registration)s?\b",
        r"\b(?:investigational new drug|new drug application)\b",
        r"\bbreakthrough therapy(?: designation)?\b",
        r"\b(?:pre-?clinical|first-in-human|investigator-initiated)\b",
        r"\b(?:drug )?registration (?:clinical )?(?:trial|study|application)\b",
        r"\brecruit(?:ing|ed|ment)? (?:of )?patients\b",
        r"(?:临床试验申请|临床试验|获批上市|批准上市|上市申请|突破性治疗|[一二三1-3]期临床|I{1,3}期)",
    ],
}
_PHRASES = {kind: re.compile("|".join(patterns), re.IGNORECASE) for kind, patterns in PHRASES.items()}

# New names worth a record: drug codes ("CT103A", "JWCAR029") and organisation-like phrases.
_CODE = re.compile(r"\b[A-Z]{1,6}-?\d{2,5}[A-Z]?\b")
_ORG_ENDINGS = (
    r"Ltd|Co|Inc|Corp(?:oration)?|Group|Holdings?|Biotech(?:nology)?|Pharma(?:ceuticals?)?|Therapeutics|Biologics"
    r"|Bio(?:science|pharma)s?|Medicine|Medical|Hospital|University|Institute|Academy|Center|Centre|Park|Bank"
    r"|Administration|Commission|Bureau|Association|Alliance|Fund"
)
_CAPITALISED = r"(?:[A-Z][\w'&.-]*|of|the|and|for|&)"
_NOT_A_NAME_START = r"(?!(?:The|A|An|This|That|These|Its|Our|Their|In|On|At|By)\b)"
_ORGANISATION = re.compile(rf"\b{_NOT_A_NAME_START}[A-Z][\w'&-]*(?: {_CAPITALISED}){{0,8}}? (?:{_ORG_ENDINGS})\b\.?")
_ORGANISATION_ZH = re.compile(r"[\u4e00-\u9fff]{2,20}(?:有限公司|公司|医院|大学|研究所|研究院|中心|集团)")


def phrases(text):
    for kind, pattern in _PHRASES.items():
        for match in pattern.finditer(text):
            yield Mention(kind, None, match.group(), match.start(), match.end())


def new_names(text, known):
    """Codes and organisation-like phrases that no known mention covers."""
    covered = [(mention.start, mention.end) for mention in known]
    for pattern in (_CODE, _ORGANISATION, _ORGANISATION_ZH):
        for match in pattern.finditer(text):
            start, end = match.span()
            if not any(start < known_end and known_start < end for known_start, known_end in covered):
                yield Mention(Kind.NAME, None, match.group(), start, end)
                covered.append((start, end))


def _outermost_per_record(found):
    """Drop a record's mention that sits inside a longer mention of the same record."""
    found = sorted(found, key=lambda m: (m.start, -m.end))
    kept = []
    for mention in found:
        if not any(
            other.kind == mention.kind
            and other.slug == mention.slug
            and other.start <= mention.start
            and mention.end <= other.end
            and other is not mention
            for other in kept
        ):
            kept.append(mention)
    return kept


def find_mentions(text, index=None):
    """Every mention in ``text``, in reading order."""
    index = current_index() if index is None else index
    known = _outermost_per_record(index.find(text))
    found = [*known, *new_names(text, known), *phrases(text)]
    return sorted(found, key=lambda mention: (mention.start, mention.end, mention.kind))
