"""A story page's schema.org ``NewsArticle`` as JSON-LD, its corrections as ``CorrectionComment``.

Search engines read the block to show a story as news and its corrections as
corrections (https://schema.org/correction). The JSON goes inside a ``<script>``
element: ``<``, ``>`` and ``&`` are written as JSON escapes, so no stored text can
close the element or start markup.
"""

import json

from django.utils.safestring import mark_safe

from newsroom.http_urls import http_url

from .pictures import lead_image

SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def news_article(article, url):
    """The story as a ``NewsArticle`` (``url``: its page's absolute address)."""
    corrections = list(article.corrections.all())
    modified = max([article.published_at, *(c.created_at for c in corrections)])
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.excerpt,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": article.published_at.isoformat(),
        "dateModified": modified.isoformat(),
        "author": {"@type": "Organization", "name": str(article.provider)},
        "keywords": [topic.name for topic in article.topics.all()],
    }
    image = lead_image(article.images.all())
    if image is not None and http_url(image.url):
        data["image"] = [http_url(image.url)]
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.created_at.isoformat(),
            }
            for correction in corrections
        ]
    return data


def script(data):
    """``data`` as a ``<script type="application/ld+json">`` element."""
    text = json.dumps(data, ensure_ascii=False).translate(SCRIPT_SAFE)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
