"""Settings for bench/load.py's server: the site's own, plus the hello-world baseline's URL."""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
