"""Text that XML 1.0 can carry: what a feed writes, whatever the database or URL held.

The importer refuses text holding what XML forbids (:func:`forbidden_character`
names it; see docs/import.md); the feeds drop it (:func:`xml_safe`) whatever the
database or a URL holds.
"""

import re
from dataclasses import dataclass

XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters outside XML 1.0's ``Char`` production: C0 controls other than tab,
newline and carriage return, lone surrogates, U+FFFE and U+FFFF."""


def xml_safe(value):
    """``value`` with every character XML 1.0 forbids removed; lists and tuples item by item.

    Anything that is not text passes unchanged (dates, enclosures, None).
    """
    if isinstance(value, str):
        return XML_FORBIDDEN.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(xml_safe(item) for item in value)
    return value


@dataclass(frozen=True)
class ForbiddenCharacter:
    char: str
    index: int

    @property
    def name(self):
        code = f"U+{ord(self.char):04X}"
        if self.char == "\x00":
            return "a NUL character"
        if self.char < " ":
            return f"the control character {code}"
        if "\ud800" <= self.char <= "\udfff":
            return f"a lone surrogate ({code}), which is no character"
        return f"the noncharacter {code}"

    @property
    def why(self):
        if self.char == "\x00":
            return "text may not hold NULs"
        return "text may not hold what XML forbids (no feed could carry it)"

    def reason(self, label):
        """``label: contains …; why`` for a value found at ``label``."""
        return f"{label}: contains {self.name}; {self.why}"

    def at_line(self, line):
        """``contains … (line N); why`` for a character found in a file's raw text."""
        return f"contains {self.name} (line {line}); {self.why}"


def forbidden_character(text):
    """The first character of ``text`` that XML 1.0 forbids, or None."""
    match = XML_FORBIDDEN.search(text)
    return ForbiddenCharacter(match.group(), match.start()) if match else None
