"""The one rule that says two stories report the same story (the why: docs/clusters.md)."""

import datetime as dt

WINDOW = dt.timedelta(days=7)
"""Copies and rewrites of one story appear within days; a week also catches
releases re-run on consecutive days and late write-ups (five days, in the dev set)."""

WORD_OVERLAP = 0.3
"""Jaccard overlap of title+excerpt words. On the dev set, pairs of different stories
stay below 0.16 and rewrites of one story start at 0.4; 0.3 sits in the gap."""

MIN_SHARED_WORDS = 5
"""Two near-empty texts (a paywall notice as title, no excerpt) are not the same story."""

"""A story's other *wordings* count as its words too: the related items that are
themselves the same story as it by this rule (another outlet's version the source
site lists beside it). Two outlets that rewrote one study in their own words often
each match a third outlet's version; that version need not be in our archive."""

SHARED_LINKS = 2
"""Stories whose related lists name two or more of the same other reports: the
source's editors grouped them with the same coverage. A single shared link (or one
story listing the other) is not enough: related lists also hold same-topic stories."""


def word_overlap(first, second):
    """The Jaccard overlap of two word sets when it counts as the same story, else 0."""
    shared = len(first & second)
    if shared < MIN_SHARED_WORDS:
        return 0.0
    overlap = shared / (len(first) + len(second) - shared)  # the union's size, not built
    return overlap if overlap >= WORD_OVERLAP else 0.0


def same_story(first, second):
    """How strongly two signatures are the same story (0 when they are not).

    Symmetric and a function of the two signatures only, so the clusters do not
    depend on the order stories arrive in.
    """
    if first.addresses & second.addresses:
        return 3.0
    if abs(first.published_at - second.published_at) > WINDOW:
        return 0.0
    if first.wordings or second.wordings:  # the best of every pair of their wordings
        overlap, theirs_all = 0.0, (second.words, *second.wordings)
        for mine in (first.words, *first.wordings):
            for theirs in theirs_all:
                score = word_overlap(mine, theirs)
                if score > overlap:
                    overlap = score
    else:  # most stories: one comparison
        overlap = word_overlap(first.words, second.words)
    if overlap:
        return 1.0 + overlap
    if len(first.links & second.links) >= SHARED_LINKS:
        return 1.0
    return 0.0
