"""The editors' admin: stories and topics (providers live in ``providers.admin``)."""

from django.contrib import admin

from .clusters import ClusterAdmin
from .editorial import PinAdmin
from .rules import RuleAdmin
from .stories import ArticleAdmin
from .topics import TopicAdmin

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Newsroom"

__all__ = ["ArticleAdmin", "ClusterAdmin", "PinAdmin", "RuleAdmin", "TopicAdmin"]
