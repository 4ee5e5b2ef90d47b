"""One structured log format: Django's request errors and gunicorn's access lines as JSON."""

import json
import logging

from django.test import RequestFactory

from newsroom.logs import JsonFormatter


def record(name, level, message, args=()):
    return logging.LogRecord(name, level, __file__, 1, message, args, None)


def formatted(record):
    return json.loads(JsonFormatter().format(record))


def test_a_django_request_error_names_the_request():
    request = RequestFactory().get("/articles/x/?page=2")
    error = record("django.request", logging.ERROR, "Server Error")
    error.request = request
    error.status_code = 500
    line = formatted(error)
    assert line["levelname"] == "ERROR"
    assert line["name"] == "django.request"
    assert line["message"] == "Server Error"
    assert (line["method"], line["path"]) == ("GET", "/articles/x/?page=2")
    assert line["status_code"] == 500
    assert "time" in line


def test_a_gunicorn_access_line_carries_its_atoms():
    atoms = {"h": "127.0.0.1", "m": "GET", "U": "/", "q": "page=2", "s": "200", "B": 512, "M": 7}
    line = formatted(record("gunicorn.access", logging.INFO, "%(h)s", (atoms,)))
    assert line["message"] == "request"
    assert line["path"] == "/" and line["query"] == "page=2"
    assert (line["status"], line["bytes"], line["duration_ms"]) == ("200", 512, 7)
