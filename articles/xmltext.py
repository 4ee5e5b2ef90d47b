"""Text that XML 1.0 can carry: what a feed writes, whatever the database or URL held."""

import re

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
