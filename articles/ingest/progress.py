"""A one-line progress bar that shows only on a terminal."""

import time


class ProgressBar:
    WIDTH = 30

    def __init__(self, stream, min_interval=0.1, unit="files"):
        self.stream = stream
        self.unit = unit
        self.enabled = hasattr(stream, "isatty") and stream.isatty()
        self.min_interval = min_interval
        self.last = 0.0
        self.shown = False

    def update(self, done, total):
        if not self.enabled or not total:
            return
        now = time.monotonic()
        if now - self.last < self.min_interval and done < total:
            return
        self.last = now
        filled = self.WIDTH * done // total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} {self.unit}", ending="")
        self.stream.flush()
        self.shown = True

    def clear(self):
        if self.shown:
            self.stream.write("\r\033[K", ending="")
            self.stream.flush()
            self.shown = False
