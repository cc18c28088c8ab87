"""Distance between commits along ancestry, as `git rev-list --count --ancestry-path A..H`
counts it: commits that descend from A and lead to H, so a side branch merged in between that
forked before A does not count, and parallel branches never interleave."""

from __future__ import annotations

# A search gives up after this many commits per commit of the window: side branches with
# younger generations are walked too, but not without end.
SEARCH_LIMIT_FACTOR, SEARCH_MIN = 8, 2000


class Ancestry:
    """Parents and generation numbers of the commits walked so far, parents first. The
    generation (longest path from a root) bounds every search: nothing whose generation is at
    most A's can descend from A."""

    def __init__(self) -> None:
        self._parents: dict[str, tuple[str, ...]] = {}
        self._generation: dict[str, int] = {}

    def add(self, sha: str, parents: list[str]) -> None:
        known = [p for p in parents if p in self._generation]
        self._parents[sha] = tuple(known)
        self._generation[sha] = 1 + max((self._generation[p] for p in known), default=0)

    def generation(self, sha: str) -> int:
        return self._generation.get(sha, 0)

    def distance(self, ancestor: str, head: str, limit: int) -> int | None:
        """`rev-list --count --ancestry-path ancestor..head`, or None where head does not
        descend from ancestor or the count is over `limit`."""
        floor = self._generation.get(ancestor)
        if floor is None or head not in self._generation or head == ancestor:
            return None
        steps, sha = 0, head
        while steps < limit:  # a line of single-parent commits: count along it, no search
            parents = self._parents.get(sha, ())
            if len(parents) != 1:
                break  # a root or a merge: the general search decides
            sha, steps = parents[0], steps + 1
            if sha == ancestor:
                return steps
        else:
            return None  # `limit` commits back along the only line, and not met
        budget = max(limit * SEARCH_LIMIT_FACTOR, SEARCH_MIN)
        seen: set[str] = set()
        stack = [head]
        while stack:
            sha = stack.pop()
            if sha in seen or sha == ancestor:
                continue
            seen.add(sha)
            if len(seen) > budget:
                return None
            stack.extend(p for p in self._parents.get(sha, ()) if self._generation[p] >= floor)
        descends: set[str] = set()
        for sha in sorted(seen, key=self._generation.__getitem__):
            if any(p == ancestor or p in descends for p in self._parents[sha]):
                descends.add(sha)
        if head not in descends or len(descends) > limit:
            return None
        return len(descends)

    def forget_below(self, generation: int) -> None:
        """Drop commits no live agent commit can reach back to, so memory stays flat."""
        for sha in [s for s, g in self._generation.items() if g < generation]:
            del self._generation[sha]
            del self._parents[sha]
        for sha, parents in self._parents.items():
            self._parents[sha] = tuple(p for p in parents if p in self._generation)
