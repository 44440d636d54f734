"""Finding a quote in an article's text, forgiving only typography.

Articles scraped from the web and quotes typed by staff differ in ways that do not change what the
sentence says: runs of whitespace and line breaks, typographic quotes and dashes, and full-width
punctuation (，。：；（）！？). Both sides are normalised the same way, one character at a time, so a
position in the normalised text maps back to a position in the original.
"""

import re
import unicodedata

MIN_QUOTE_LENGTH = 12

TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
        "\u3001": ",", "\u3002": ".",
    }
)  # fmt: skip


def normal_char(char):
    # NFKC turns full-width forms (，：（） and full-width letters) into their ASCII twins.
    return unicodedata.normalize("NFKC", char).translate(TYPOGRAPHY)


def normalise(text):
    """``text`` with whitespace collapsed to single spaces and typography made plain."""
    return _normalise_with_offsets(text)[0]


def _normalise_with_offsets(text):
    """The normalised text and, for each of its characters, the offset of the original character."""
    out, offsets = [], []
    pending_space = False
    for index, char in enumerate(text):
        if char.isspace():
            pending_space = bool(out)
            continue
        if pending_space:
            out.append(" ")
            offsets.append(index - 1)
            pending_space = False
        for normal in normal_char(char):
            out.append(normal)
            offsets.append(index)
    return "".join(out), offsets


def find_quote(quote, text):
    """``(start, end)`` of ``quote`` in ``text`` (offsets into the original text), or None."""
    needle = normalise(quote)
    if not needle:
        return None
    haystack, offsets = _normalise_with_offsets(text)
    at = haystack.find(needle)
    if at < 0:
        return None
    return offsets[at], offsets[at + len(needle) - 1] + 1


def quote_in_text(quote, text):
    return normalise(quote) in normalise(text)


_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|\n+")


def sentence_around(text, start, end):
    """The sentence (or line) of ``text`` that holds ``text[start:end]``: what intake proposes as a quote."""
    begin = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        begin = match.end()
    stop = _SENTENCE_END.search(text, end)
    return text[begin : stop.start() if stop else len(text)].strip()


def marked_segments(text, spans):
    """``text`` cut into ``(piece, tag)`` runs, where ``spans`` are ``(start, end, tag)`` to mark.

    Overlapping spans are clipped to where the previous one ends, so every tag keeps a (possibly empty)
    run of its own to anchor a link to.
    """
    segments, at = [], 0
    for start, end, tag in sorted(spans, key=lambda span: (span[0], -span[1])):
        start, end = max(start, at), max(end, at)
        if start > at:
            segments.append((text[at:start], None))
        segments.append((text[start:end], tag))
        at = end
    if at < len(text):
        segments.append((text[at:], None))
    return segments
