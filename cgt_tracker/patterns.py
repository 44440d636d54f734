r"""Pieces of regular expressions that mean the same to Python's ``re`` and to ECMA-262, the dialect in which the
API schema's ``pattern`` keywords are read by clients (and by Schemathesis).

The shorthand classes differ between the two: Python's ``\s`` is every character ``str.isspace()`` accepts
(``\x1c``–``\x1f`` and ``\x85`` among them), ECMA-262's also holds ``\ufeff`` and lacks those five; Python's ``\d``
is any Unicode digit, ECMA-262's only 0–9. A pattern written with them promised values the server then
refused (a web address ending in ``#\x1d``). Patterns the schema shows spell their classes out instead.
"""

# The characters ``str.isspace()`` accepts, which ``str.strip()`` removes and Django's URL check refuses.
WHITESPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
DIGIT = "[0-9]"
