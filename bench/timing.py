"""What the page benchmarks measure with: each query a request runs, and medians in ms."""

import statistics
import time


class QueryLog(list):
    """Each SQL statement a request runs, with its time (the test client resets
    connection.queries at request start, so count through a wrapper)."""

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.append((time.perf_counter() - start, sql))


def median_ms(function, repeat):
    """The median of ``repeat`` timed calls, after one to warm the caches."""
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def median_wall_and_cpu_ms(function, repeat):
    """The medians of ``repeat`` timed calls after one warm-up: wall ms, and CPU ms
    (``time.process_time``, this process only: what the machine's load moves least)."""
    function()
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000
