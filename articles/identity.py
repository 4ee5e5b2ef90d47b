"""Story identity, kept free of Django so import workers can use it."""

import hashlib


def url_hash(url):
    """The identity hash of a story URL: indexes stay small whatever the URL's length."""
    return hashlib.sha256(url.strip().encode()).hexdigest()
