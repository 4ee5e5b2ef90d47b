from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        from . import (  # noqa: F401 - connect the receivers, register the jobs
            history,  # versions made by save() keep the story's topics
            job_kinds,  # re-clustering and applying rules in the background
            page_signals,  # retire cached pages
            signals,  # the search vector
        )
