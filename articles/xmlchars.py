"""The characters XML 1.0 cannot carry, named once.

XML 1.0 allows tab, LF, CR and everything from U+0020 up, except the surrogates
(U+D800–U+DFFF, which are not characters on their own) and U+FFFE/U+FFFF. One
such character in a title would make every RSS and Atom feed that lists it
invalid, and a lone surrogate cannot even be encoded to be stored, so the
importer refuses text holding any of them (see docs/import.md).
"""

import re
from dataclasses import dataclass

XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


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
