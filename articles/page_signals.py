"""Retire the anonymous page cache whenever a story, topic, outlet, picture, correction or pin
changes.

The receivers cover saves and deletes through the ORM (admin forms, list edits,
deletions) and topic links; the bulk paths that bypass signals — the importer's
writer and ``publishing``'s updates — call ``pages_changed()`` themselves. The
bump waits for the commit, so no request can store the old state under the new
generation.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from newsroom.pagecache import pages_changed
from providers.models import Provider

from .models import Article, ArticleImage, Correction, Pin, RelatedLink, Topic

PUBLIC_CONTENT = (Article, ArticleImage, RelatedLink, Topic, Provider, Correction, Pin)


def _retire_pages(sender, **kwargs):
    transaction.on_commit(pages_changed, using=kwargs.get("using"))


for model in PUBLIC_CONTENT:
    label = model._meta.label_lower
    post_save.connect(_retire_pages, sender=model, dispatch_uid=f"pagecache_save_{label}")
    post_delete.connect(_retire_pages, sender=model, dispatch_uid=f"pagecache_delete_{label}")
m2m_changed.connect(_retire_pages, sender=Article.topics.through, dispatch_uid="pagecache_topics")
