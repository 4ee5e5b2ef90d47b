"""The background recount of the outlets' stored figures (``providers.figures``)."""

from django.tasks import task

from . import figures


@task()
def recount_outlets():
    return figures.recount_due()
