"""One structured log format for the whole server: a JSON object per line.

Django's records (errors above all) and gunicorn's access log go through the same
formatter (``gunicorn.conf.py`` and ``settings.LOGGING`` both name it), so one log
shipper parses both. ``NEWSROOM_LOG_FORMAT=text`` keeps plain lines for a terminal.
"""

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

# gunicorn's access atoms (see its docs' "access_log_format") under readable names.
ACCESS_FIELDS = {
    "remote_addr": "h",
    "method": "m",
    "path": "U",
    "query": "q",
    "status": "s",
    "bytes": "B",
    "duration_ms": "M",
    "referer": "f",
    "user_agent": "a",
}


class JsonFormatter(BaseJsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("timestamp", "time")
        super().__init__("%(levelname)s %(name)s %(message)s", *args, **kwargs)

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        # django.request attaches the request itself: keep what identifies it.
        request = log_data.pop("request", None)
        if hasattr(request, "get_full_path"):
            log_data["method"] = request.method
            log_data["path"] = request.get_full_path()
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            log_data.update({name: record.args.get(atom) for name, atom in ACCESS_FIELDS.items()})
            log_data["message"] = "request"
