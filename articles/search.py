"""Text search over stories, behind one interface for every caller.

The public list (``?q=``), the admin search and the API all call
:func:`search_articles`. This is the portable version (case-insensitive
substring match on title, excerpt, provider name and topic names).
"""

from django.db.models import Exists, OuterRef, Q

from .models import Article


def search_articles(queryset, query):
    """Narrow ``queryset`` to stories matching every word of ``query``."""
    for word in query.split():
        topic_match = Article.topics.through.objects.filter(
            article_id=OuterRef("pk"), topic__name__icontains=word
        )
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(excerpt__icontains=word)
            | Q(provider__name__icontains=word)
            | Exists(topic_match)
        )
    return queryset
