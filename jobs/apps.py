from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        # The job kinds this app knows register themselves on import.
        from . import kinds  # noqa: F401
