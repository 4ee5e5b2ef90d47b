"""Clusters as connected components of the "same story" graph, respecting editors' decisions.

Connected components do not depend on the order edges are seen in; only when an
edge would join two clusters an editor keeps apart does order matter, and then the
edges go strongest first, ties broken by the stories' URL hashes (never by database
ids, which follow import order).
"""


class _Components:
    def __init__(self):
        self.parent = {}
        self.lock = {}

    def find(self, node):
        self.parent.setdefault(node, node)
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, first, second):
        """Join two components unless each is locked to a different editor's cluster."""
        a, b = self.find(first), self.find(second)
        if a == b:
            return True
        lock_a, lock_b = self.lock.get(a), self.lock.get(b)
        if lock_a is not None and lock_b is not None and lock_a != lock_b:
            return False
        self.parent[b] = a
        if lock_a is None and lock_b is not None:
            self.lock[a] = lock_b
        return True


def components(nodes, edges, groups=()):
    """Partition ``nodes`` (hashable, sortable) into components.

    ``edges``: ``(score, first, second)`` for every matching pair.
    ``groups``: ``(members, lock)`` that start out joined; two groups locked to
    different values (editors' clusters) are never joined.
    Returns the components as sorted lists, in sorted order.
    """
    forest = _Components()
    for node in nodes:
        forest.find(node)
    for members, lock in groups:
        members = sorted(members)
        for member in members:
            forest.find(member)
        if lock is not None:
            forest.lock[forest.find(members[0])] = lock
        for member in members[1:]:
            forest.union(members[0], member)
    for _, first, second in sorted(edges, key=lambda edge: (-edge[0], *sorted(edge[1:]))):
        forest.union(first, second)
    found = {}
    for node in forest.parent:
        found.setdefault(forest.find(node), []).append(node)
    return sorted(sorted(members) for members in found.values())
