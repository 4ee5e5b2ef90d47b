"""One structured log format: Django's request errors and gunicorn's access lines as JSON."""

import json
import logging

from django.test import RequestFactory

from newsroom.logs import JsonFormatter


def formatted(record):
    return json.loads(JsonFormatter().format(record))


def test_a_django_request_error_names_the_request():
    request = RequestFactory().get("/articles/x/?page=2")
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Server Error", (), None)
    record.request = request
    record.status_code = 500
    line = formatted(record)
    assert line["levelname"] == "ERROR"
    assert line["name"] == "django.request"
    assert line["message"] == "Server Error"
    assert (line["method"], line["path"], line["status_code"]) == ("GET", "/articles/x/?page=2", 500)
    assert "time" in line


def test_a_gunicorn_access_line_carries_its_atoms():
    atoms = {"h": "127.0.0.1", "m": "GET", "U": "/", "q": "page=2", "s": "200", "B": 512, "M": 7}
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s", (atoms,), None)
    line = formatted(record)
    assert line["message"] == "request"
    assert line["path"] == "/" and line["query"] == "page=2"
    assert (line["status"], line["bytes"], line["duration_ms"]) == ("200", 512, 7)
