"""gunicorn's settings for Newsroom (gunicorn reads this file from the working directory).

Every value can be overridden from the environment (GUNICORN_*) or the command line.
See docs/deploy.md, "Run gunicorn", for why these values.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads in each of a few processes: readers' requests mostly wait on the database
# or the cache, and threads keep keep-alive connections cheap. 2 workers x 4 threads
# suit 2 cores; grow workers with cores (2 per core).
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 5
# A worker that stops answering is replaced; long work runs as tasks, never here.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Workers are not recycled by default: a recycled gthread worker drops the keep-alive
# connections it holds, and under load every client on it waited for an answer that
# never came (bench/load.py: 64 timeouts at 64 connections, none with recycling
# off). GUNICORN_MAX_REQUESTS=N recycles after about N requests, should a leak need it.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10

# GUNICORN_ACCESS_LOG=off leaves requests unlogged (the load benchmark does).
accesslog = None if os.environ.get("GUNICORN_ACCESS_LOG") == "off" else "-"
errorlog = "-"
if os.environ.get("NEWSROOM_LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "newsroom.logs.JsonFormatter"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json"},
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
