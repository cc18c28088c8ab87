"""Distance between commits along ancestry, as `git rev-list --count --ancestry-path A..H`
counts it: commits that descend from A and lead to H, so a side branch merged in between that
forked before A does not count, and parallel branches never interleave."""

from __future__ import annotations

import heapq
from collections.abc import Iterable

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

    def distances(self, ancestors: Iterable[str], head: str, limit: int) -> dict[str, int | None]:
        """For each ancestor, `rev-list --count --ancestry-path ancestor..head`, or None where
        head does not descend from it or the count is over `limit`. The walk back along head's
        first parents answers most; a search through side paths answers the rest."""
        found: dict[str, int | None] = dict.fromkeys(ancestors)
        wanted = [a for a in found if a != head and a in self._generation]
        if head not in self._generation or not wanted:
            return found
        chain, first_merge = self._first_parents(head, set(wanted), limit)
        searching = []
        for ancestor in wanted:
            steps, merged = chain.get(ancestor, (None, False))
            if steps is not None and (steps > limit or not merged):
                # Every commit above it on head's first-parent line descends from it: the
                # count is at least `steps`, exactly that when no merge lies between.
                found[ancestor] = steps if steps <= limit else None
            elif first_merge is not None and first_merge <= limit:
                searching.append(ancestor)  # a merge within reach: a side path may lead to it
        if searching:
            found.update(self._search(searching, head, limit))
        return found

    def _first_parents(
        self, head: str, wanted: set[str], limit: int
    ) -> tuple[dict[str, tuple[int, bool]], int | None]:
        """The wanted commits met going back from head along first parents, each with its
        steps and whether a merge was passed on the way; and the step of the first merge
        passed. The walk ends when all are met, past the oldest of them, after the search's
        budget of steps, or after `limit` steps without a merge: then an ancestor not met is
        past the limit or no ancestor at all."""
        parents_of, generation = self._parents, self._generation
        lowest, budget = min(generation[a] for a in wanted), _budget(limit)
        chain: dict[str, tuple[int, bool]] = {}
        steps, sha, first_merge = 0, head, None
        while steps < budget and len(chain) < len(wanted):
            parents = parents_of.get(sha, ())
            if not parents or (steps >= limit and first_merge is None):
                break
            if first_merge is None and len(parents) > 1:
                first_merge = steps + 1
            sha, steps = parents[0], steps + 1
            if generation[sha] < lowest:
                break
            if sha in wanted:
                chain[sha] = (steps, first_merge is not None)
        return chain, first_merge

    def _search(self, ancestors: list[str], head: str, limit: int) -> dict[str, int | None]:
        """Back from head through commits in decreasing generation, so that when the next one
        is older than an ancestor, every commit that could lie between the two has been seen;
        nearest ancestors first, each answered from the commits seen so far."""
        budget = _budget(limit)
        order = sorted(ancestors, key=self._generation.__getitem__, reverse=True)
        lowest = self._generation[order[-1]]
        found: dict[str, int | None] = dict.fromkeys(ancestors)
        heap = [(-self._generation[head], head)]
        discovered = {head}
        popped: list[str] = []  # in decreasing generation
        for ancestor in order:
            floor = self._generation[ancestor]
            while heap and -heap[0][0] >= floor and len(popped) <= budget + 1:
                _, sha = heapq.heappop(heap)
                popped.append(sha)
                for parent in self._parents[sha]:
                    if parent not in discovered and self._generation[parent] >= lowest:
                        discovered.add(parent)
                        heapq.heappush(heap, (-self._generation[parent], parent))
            if len(popped) - (ancestor in discovered) > budget:
                break  # too many commits to tell: this ancestor and every older one are None
            found[ancestor] = self._count(ancestor, head, popped, limit)
        return found

    def _count(self, ancestor: str, head: str, popped: list[str], limit: int) -> int | None:
        """Of the commits seen (all those at least as young as ancestor), how many descend
        from it, when head is one of them and they are at most `limit`."""
        descends: set[str] = set()
        for index in range(len(popped) - 1, -1, -1):
            sha = popped[index]
            if sha == ancestor:
                continue
            if any(p == ancestor or p in descends for p in self._parents[sha]):
                descends.add(sha)
                if len(descends) > limit:
                    return None
        return len(descends) if head in descends else None

    def forget_below(self, generation: int) -> None:
        """Drop commits no live agent commit can reach back to, so memory stays flat."""
        for sha in [s for s, g in self._generation.items() if g < generation]:
            del self._generation[sha]
            del self._parents[sha]
        for sha, parents in self._parents.items():
            self._parents[sha] = tuple(p for p in parents if p in self._generation)


def _budget(limit: int) -> int:
    """How many commits a walk back from head may visit for a window of `limit`."""
    return max(limit * SEARCH_LIMIT_FACTOR, SEARCH_MIN)
