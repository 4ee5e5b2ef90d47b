"""A story's clustering signature: its words, addresses, related links and LSH band keys.

Everything here is a pure function of the story's own values, so the same story gets
the same signature on every database and in every import order.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from .addresses import canonical_addresses, canonical_url

PERMUTATIONS = 80
ROWS_PER_BAND = 2
"""40 bands of 2 rows: a pair with word overlap (Jaccard) 0.3 is a candidate with
probability 1 - (1 - 0.3²)⁴⁰ ≈ 0.98, one at 0.5 with probability > 0.9999."""

STOPWORDS = frozenset(
    """a about after all also an and any are as at be been before but by can could did do
    does for from had has have he her his how i if in into is it its just may might more most
    new no not now of on one or our out over says said say she should so than that the their
    them then there these they this those to up us was we were what when where which while who
    why will with would you your via vs""".split()
)

WORD = re.compile(r"[^\W_]+")

_PERMUTATIONS = MinHash(num_perm=PERMUTATIONS, seed=1, scheme="affine32").permutations
"""Made once: datasketch would draw the same permutations again for every story."""


@dataclass(frozen=True)
class Signature:
    """What the matching rule compares (see ``matching.same_story``)."""

    published_at: object
    words: frozenset
    addresses: frozenset
    links: frozenset


def words_of(*texts):
    """Normalised content words: case-folded, NFKC, no stopwords, plural ``-s`` stripped."""
    text = unicodedata.normalize("NFKC", " ".join(t or "" for t in texts)).casefold()
    text = text.replace("a.i.", "ai")
    found = set()
    for word in WORD.findall(text):
        if word in STOPWORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        found.add(word)
    return frozenset(found)


def signature_of(title, excerpt, published_at, urls, related_urls):
    """The signature of one story; ``urls`` are its own, ``related_urls`` its related list's."""
    addresses = frozenset(canonical_addresses(*urls))
    links = frozenset(address_key(form) for form in map(canonical_url, related_urls) if form) - {
        address_key(form) for form in addresses
    }
    return Signature(
        published_at=published_at,
        words=words_of(title, excerpt),
        addresses=frozenset(address_key(form) for form in addresses),
        links=links,
    )


def address_key(canonical):
    return _digest(canonical.encode())


def band_keys(words):
    """MinHash LSH band keys of a word set: stories sharing one are match candidates.

    A key is the band's number and its two 32-bit MinHash values, written out whole
    (no second hash, so no collisions between bands or values).
    """
    if not words:
        return []
    minhash = MinHash(num_perm=PERMUTATIONS, permutations=_PERMUTATIONS, scheme="affine32")
    minhash.update_batch([word.encode() for word in sorted(words)])
    rows = np.asarray(minhash.hashvalues, dtype=np.uint64).reshape(-1, ROWS_PER_BAND)
    return [
        f"b{band:02x}{first:08x}{second:08x}" for band, (first, second) in enumerate(rows.tolist())
    ]


def keys_of(signature):
    """Every look-up key of a story: band keys, ``a`` address keys, ``l`` related-link keys."""
    return sorted(
        {
            *band_keys(signature.words),
            *("a" + key for key in signature.addresses),
            *("l" + key for key in signature.links),
        }
    )


def _digest(data):
    return hashlib.blake2b(data, digest_size=8).hexdigest()
