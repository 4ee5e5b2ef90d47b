"""A story's clustering signature: its words, addresses, related links and LSH band keys.

Everything here is a pure function of the story's own values, so the same story gets
the same signature on every database and in every import order.
"""

import functools
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from datasketch import MinHash
from datasketch.hashfunc import sha1_hash32

from .addresses import canonical_addresses, canonical_url
from .matching import MIN_SHARED_WORDS, SHARED_LINKS, word_overlap

DRAWN = 80
"""Permutations drawn as datasketch draws them (``num_perm=80``, seed 1, ``affine32``)."""
PERMUTATIONS = 64
"""The first 64 of those: band keys 0-31 are the ones stored when there were 40 bands
(migration 0021 deleted bands 32-39)."""
ROWS_PER_BAND = 2
"""32 bands of 2 rows: a pair with word overlap (Jaccard) 0.3, the threshold, is a
candidate with probability 1 - (1 - 0.3²)³² ≈ 0.951 (0.977 with 40 bands), one at 0.41,
the lowest rewrite in the dev set, 0.997, one at 0.5 > 0.9999. Each band is a key row a
story; the rows were most of what clustering costs the import (docs/clusters.md)."""
BANDS = PERMUTATIONS // ROWS_PER_BAND

STOPWORDS = frozenset(
    """a about after all also an and any are as at be been before but by can could did do
    does for from had has have he her his how i if in into is it its just may might more most
    new no not now of on one or our out over says said say she should so than that the their
    them then there these they this those to up us was we were what when where which while who
    why will with would you your via vs""".split()
)

WORD = re.compile(r"[^\W_]+")

_PERMUTATIONS = MinHash(num_perm=DRAWN, seed=1, scheme="affine32").permutations[:, :PERMUTATIONS]
"""Made once: datasketch would draw the same permutations again for every story."""


@dataclass(frozen=True)
class Signature:
    """What the matching rule compares (see ``matching.same_story``)."""

    published_at: object
    words: frozenset
    addresses: frozenset
    links: frozenset
    wordings: frozenset = frozenset()
    """Word sets of the related items that are this same story (see ``matching``)."""


@functools.lru_cache(maxsize=65536)
def words_of(*texts):
    """Normalised content words: case-folded, NFKC, no stopwords, plural ``-s`` stripped.

    Cached: related lists name the same few reports again and again.
    """
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


def signature_of(title, excerpt, published_at, urls, related_urls, related_texts=()):
    """The signature of one story; ``urls`` are its own, ``related_urls`` its related
    list's, ``related_texts`` that list's ``(title, excerpt)`` pairs."""
    addresses = frozenset(canonical_addresses(*urls))
    links = frozenset(address_key(form) for form in map(canonical_url, related_urls) if form) - {
        address_key(form) for form in addresses
    }
    words = words_of(title, excerpt)
    wordings = {words_of(*text) for text in related_texts} - {words}
    return Signature(
        published_at=published_at,
        words=words,
        wordings=frozenset(other for other in wordings if word_overlap(words, other)),
        addresses=frozenset(address_key(form) for form in addresses),
        links=links,
    )


class Keys(NamedTuple):
    """A story's look-up keys, as they are stored (``models.StoryBands``, ``StoryKey``)."""

    bands: list
    """One list of ``BANDS`` band keys per word set long enough to match: the story's
    own words first, then its wordings (``wordings_of``), band ``b`` at index ``b``."""
    others: list
    """Its address and related-link keys, sorted."""

    def flat(self):
        """Every key, sorted and distinct (a wording may repeat a band key)."""
        return sorted({*(key for row in self.bands for key in row), *self.others})


def signed_many(stories):
    """``(signature, keys, stored form)`` of each story, band keys of all of them in
    one pass (the stored form: :func:`stored_form`).

    A story is ``(title, excerpt, published_at, urls, related_urls, related_texts)``,
    the arguments of :func:`signature_of`. The importer's parse workers call this on
    the records they make, the clustering on stories read from the database.
    """
    signatures = [signature_of(*story) for story in stories]
    forms = map(stored_form, signatures)
    return list(zip(signatures, keys_many(signatures), forms, strict=True))


def stored_form(signature):
    """The signature's sets as the one text column that stores them (compact JSON,
    sorted): derived data only ever read whole, here, so no JSON column's work on
    either side, and the parse workers make it beside the signature."""
    return json.dumps(
        [
            sorted(signature.words),
            sorted(signature.addresses),
            sorted(signature.links),
            [sorted(words) for words in wordings_of(signature)[1:]],
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def from_stored_form(published_at, text):
    """The :class:`Signature` that :func:`stored_form` wrote.

    One this process made or read lately comes back without parsing (see ``_Recent``).
    """
    found = _RECENT.get(published_at, text)
    if found is None:
        words, addresses, links, wordings = json.loads(text)
        found = Signature(
            published_at=published_at,
            words=frozenset(words),
            addresses=frozenset(addresses),
            links=frozenset(links),
            wordings=frozenset(map(frozenset, wordings)),
        )
        _RECENT.put(found, text)
    return found


def remember_stored_form(signature, text):
    """``text`` is ``signature``'s stored form (made beside it): :func:`from_stored_form`
    of its time and ``text`` gives it back unparsed."""
    _RECENT.put(signature, text)


class _Recent:
    """The signatures of the last ``size`` to ``2 × size`` stored forms made or read,
    by (time, text): the clustering of an import reads its own earlier stories back as
    candidates (most of a run's candidates in a bulk import), and parsing them again
    cost ~3.5 ms a 1,000 stories. Kept by the pair that defines the signature (a
    :class:`Signature` is a function of the two), so an entry is never stale; two
    generations bound the memory."""

    def __init__(self, size):
        self.size, self.young, self.old = size, {}, {}

    def get(self, published_at, text):
        key = (published_at, text)
        return self.young.get(key) or self.old.get(key)

    def put(self, signature, text):
        if len(self.young) >= self.size:
            self.young, self.old = {}, self.young
        self.young[signature.published_at, text] = signature


_RECENT = _Recent(size=1000)
"""About two of the clustering's chunks (``assign.CHUNK``): a chunk's candidates are
mostly the chunk before it and itself."""


def keys_many(signatures):
    """:func:`keys_of` of each signature, the band keys of all in one numpy pass."""
    word_sets, owners = [], []
    for n, signature in enumerate(signatures):
        for words in _matchable(wordings_of(signature)):
            word_sets.append(words)
            owners.append(n)
    bands = [[] for _ in signatures]
    for n, keys in zip(owners, band_keys_many(word_sets), strict=True):
        bands[n].append(keys)
    return [keys_of(signature, bands[n]) for n, signature in enumerate(signatures)]


def address_key(canonical):
    return _digest(canonical.encode())


KIND_SHIFT = 58
"""A key is a signed 64-bit integer; its top 6 bits say what it is: the band's number
(0-31) for a band key, or one of the two tags below."""
ADDRESS_KIND = 62
LINK_KIND = 63
_DROPPED = 3
"""Each band key keeps 29 of each of its two 32-bit MinHash values (6 + 2 × 29 = 64
bits): two different pairs of values share a key with probability 2⁻⁵⁸, and a
shared key only makes two stories candidates, which the matching rule then judges."""


def band_key(band, first, second):
    """The key of one band: its number and its two MinHash values (the definition the
    batched computation in :func:`band_keys_many` follows)."""
    value = (band << KIND_SHIFT) | ((first >> _DROPPED) << 29) | (second >> _DROPPED)
    return _signed(value)


def _signed(value):
    """An unsigned 64-bit value as the signed integer a BIGINT column holds."""
    return value - (1 << 64) if value >= 1 << 63 else value


def key_kind(key):
    """The top 6 bits of a key: a band number, ``ADDRESS_KIND`` or ``LINK_KIND``."""
    return (key & 0xFFFF_FFFF_FFFF_FFFF) >> KIND_SHIFT


def is_address_key(key):
    return key_kind(key) == ADDRESS_KIND


def _tagged(kind, digest):
    """An address or related-link key: the tag and 58 bits of its 64-bit digest."""
    return _signed((kind << KIND_SHIFT) | (int(digest, 16) >> 6))


def band_keys_many(word_sets):
    """MinHash LSH band keys of each word set: stories sharing one are match candidates.

    A key is the band's number and its two 32-bit MinHash values in one 64-bit
    integer (:func:`band_key`; integers make a smaller, faster index than text).
    One numpy pass over all the sets' words.

    The values are the first 64 of datasketch's (``MinHash(num_perm=80, seed=1,
    scheme="affine32")`` fed each word's UTF-8 bytes; a test holds the two equal):
    each distinct word is hashed once, and the per-story minimum is one
    ``minimum.reduceat`` instead of a MinHash object per story.
    """
    sets = list(word_sets)
    filled = [n for n, words in enumerate(sets) if words]
    found = [[] for _ in sets]
    if filled:
        # In each set's own order (a minimum needs none): one iteration order per
        # set object, so the words and their counts below line up.
        hashed = {}
        for n in filled:
            for word in sets[n]:
                if word not in hashed:
                    hashed[word] = sha1_hash32(word.encode())
        flat = np.fromiter((hashed[word] for n in filled for word in sets[n]), dtype=np.uint32)
        starts = np.cumsum([0] + [len(sets[n]) for n in filled[:-1]])
        a, b = _PERMUTATIONS
        # One row per permutation, the words along it: the minimum of each word set is
        # then a reduction along contiguous memory (along axis 0, over 1,000 stories'
        # words, it took 15 times longer; docs/performance.md, "Cost at import").
        values = a[:, None] * _fmix32(flat)[None, :] + b[:, None]
        minima = np.minimum.reduceat(values, starts, axis=1).T.astype(np.uint32)
        pairs = minima.astype(np.uint64).reshape(len(filled), BANDS, ROWS_PER_BAND)
        dropped = np.uint64(_DROPPED)
        keys = (
            (np.arange(BANDS, dtype=np.uint64) << np.uint64(KIND_SHIFT))
            | ((pairs[:, :, 0] >> dropped) << np.uint64(29))
            | (pairs[:, :, 1] >> dropped)
        )
        for n, row in zip(filled, keys.view(np.int64).tolist(), strict=True):
            found[n] = row
    return found


def _fmix32(values):
    """MurmurHash3's 32-bit finalizer, as datasketch pre-mixes input hashes."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def keys_of(signature, bands=None):
    """Every look-up key of a story (:class:`Keys`): band keys, address keys,
    related-link keys.

    Only keys that can make a match: no band keys for a wording too short to share
    ``MIN_SHARED_WORDS``, no link keys for a story listing fewer than
    ``SHARED_LINKS`` (the keys are most of what clustering writes).
    ``bands``: the band keys of its words and wordings when already computed
    (``band_keys_many`` over those of ``wordings_of`` that are long enough).
    """
    if bands is None:
        bands = band_keys_many(_matchable(wordings_of(signature)))
    links = signature.links if len(signature.links) >= SHARED_LINKS else ()
    others = {
        *(_tagged(ADDRESS_KIND, key) for key in signature.addresses),
        *(_tagged(LINK_KIND, key) for key in links),
    }
    return Keys(bands=bands, others=sorted(others))


def _matchable(word_sets):
    return [words for words in word_sets if len(words) >= MIN_SHARED_WORDS]


def wordings_of(signature):
    """The story's own words first, then its other wordings, in a stable order."""
    return [signature.words, *sorted(signature.wordings, key=sorted)]


def _digest(data):
    return hashlib.blake2b(data, digest_size=8).hexdigest()
