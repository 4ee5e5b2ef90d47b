from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        from . import (  # noqa: F401 - connect the receivers
            page_signals,  # retire cached pages
            signals,  # the search vector
        )
