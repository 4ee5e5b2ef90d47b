"""Rules' regular expressions, run by RE2: linear time in the text, so no pattern can hang
the server however it backtracks in other engines. Matching is case-insensitive and
searches anywhere in the text (anchor with ``^``/``$`` for the whole text)."""

import functools

import re2

MAX_PATTERN_LENGTH = 1000


class PatternError(ValueError):
    """A pattern RE2 cannot run; the message says why, for the form."""


def _options():
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # the reason goes to the form, not to stderr
    options.max_mem = 8 << 20  # a pattern whose program needs more is refused, not run
    return options


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern):
    """The compiled pattern, or None for an empty one; :class:`PatternError` if invalid."""
    if not pattern:
        return None
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(f"Too long: at most {MAX_PATTERN_LENGTH} characters.")
    try:
        return re2.compile(pattern, _options())
    except re2.error as error:
        reason = error.args[0] if error.args else "not a valid pattern"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(f"Not a valid pattern (RE2 syntax): {reason}.") from None
