from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Providers"

    def ready(self):
        from . import signals

        signals.connect()
        post_migrate.connect(_queue_due_recount, sender=self)


def _queue_due_recount(using, **kwargs):
    # The migration that adds the stored figures leaves every outlet waiting for its
    # first count: queue it, so that no operator has to remember a command.
    from . import figures

    figures.queue_recount_if_due(using)
