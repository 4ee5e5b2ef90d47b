"""Sitemap sections as fixed ranges of story ids: no search for where a section starts.

Section N lists the public stories whose id lies in ((N-1)·S, N·S], S the sitemap's
``limit``. A story's id never changes, so a story is in exactly one section
whatever is published, edited or added meanwhile (new ids fill the last one), a
section's address keeps naming the same stories (a crawler refetches only the
sections that changed), and a page is one range read of the primary key's index:
no first keys to find, no OFFSET, nothing to keep between requests. Ids of
unpublished, scheduled and deleted stories leave holes, so a section may be short,
or empty (an empty ``<urlset>``, as the framework's empty first page is).

Sections were pages of the newest-first order before, found by hopping down an
index from key to key: 100–140 ms of SQL at a million stories for the index and
for every deep page, and each new story moved every section's boundary.
"""

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property


class IdRangePaginator(Paginator):
    """Pages of ``rows`` (a queryset of public stories) by fixed ranges of their ids.

    ``per_page`` is the span of ids a page covers, so also the most rows it holds.
    """

    def __init__(self, rows, per_page):
        super().__init__(rows.order_by("id"), per_page)

    @cached_property
    def num_pages(self):
        """Up to the section of the highest public id: one probe of ``article_public_id_idx``."""
        last = self.object_list.order_by("-id").values_list("id", flat=True).first()
        return 1 if last is None else -(-last // self.per_page)

    def page(self, number):
        number = self.validate_number(number)
        low = (number - 1) * self.per_page
        rows = self.object_list.filter(id__gt=low, id__lte=low + self.per_page)
        return Page(list(rows), number, self)
