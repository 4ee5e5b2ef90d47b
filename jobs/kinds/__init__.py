"""The job kinds this app runs; other apps register theirs the same way (see ``registry``)."""

from . import images, imports  # noqa: F401
