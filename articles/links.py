"""Where a related story points: only http(s); internal links only to published stories."""

from newsroom.http_urls import http_url


def related_story_url(link):
    """Where a related story points: our page when we publish it, else its outlet's page.

    An unpublished copy must not leak through an internal link, so the reader is
    sent to the original address instead (or gets plain text when it is not http(s)).
    """
    target = link.target
    if target is not None and target.is_public():
        return target.get_absolute_url()
    return http_url(link.web_url) or http_url(link.original_url)
