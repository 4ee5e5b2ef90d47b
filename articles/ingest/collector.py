"""The garbage collector's full passes kept off the objects an import finds alive.

A full pass walks every tracked object: in an import's process that is Django, the
app registry and the compiled templates (~75 ms a pass), none of which an import
frees. The records, rows and candidate sets an import allocates tip the collector
into such passes (one to several per 1,000 stories). ``gc.freeze()`` at the start
moves what is alive into the permanent generation, so a pass walks only what the
import itself made; forked parse workers inherit the frozen heap and leave its pages
shared. Unfrozen afterwards, so the process ends as it began.
"""

import contextlib
import gc


@contextlib.contextmanager
def long_lived_frozen():
    """Freeze the live objects for the block; thaw them after it.

    ``gc.unfreeze()`` thaws everything frozen, also what was before the block: the
    interpreter's own few hundred start-up objects (Python 3.12 starts with some),
    and whatever a caller froze (nothing in Newsroom does). Thawed, they are only
    walked again by full passes, as any old object is.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
