import pytest

from providers import figures


@pytest.fixture
def recounted():
    """Run the background recount now (the worker's task), as often as a test needs."""
    return figures.recount_due
