"""Story clusters: the same story from several outlets, reviewed once and shown once.

The method and its limits are in docs/clusters.md. Modules:
``addresses`` (URL canonical forms), ``signatures`` (words, MinHash band keys),
``matching`` (the one rule deciding that two stories are the same story),
``grouping`` (connected components that respect editors' decisions),
``assign`` (incremental clustering at import and the full re-cluster),
``leads``, ``editing`` (editors' tools), ``public`` (readers' side) and ``scorecards``.
"""
