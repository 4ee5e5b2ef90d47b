"""Errors of the JSON API as JSON: a client that asked for JSON never parses an HTML page."""

from functools import wraps

from django.core.exceptions import BadRequest
from django.http import Http404, JsonResponse


def json_errors(view):
    """Answer the view's 404s and 400s as ``{"error": message}`` with that status."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404 as error:
            return _error(error, "Not found.", 404)
        except BadRequest as error:
            return _error(error, "Bad request.", 400)

    return wrapper


def _error(error, default, status):
    return JsonResponse({"error": str(error) or default}, status=status)
