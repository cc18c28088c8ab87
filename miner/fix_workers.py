"""Rows of later fixes built by worker processes while the parent walks the history.

The walk (line authorship, ancestry) is sequential and stays in the parent. The rows of one
person's commit depend only on its LaterFix and the repository, so chunks of them go to a
process pool and come back in stream order: the output is the serial run's, row for row. A
repository with fewer later fixes than one chunk never starts a pool."""

from __future__ import annotations

import multiprocessing
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .extract import Extractor
from .fixes import LaterFixes
from .history import LaterFix
from .repository import open_repository
from .trail import Trail

CHUNK = 32  # later fixes per task: enough work to outweigh pickling their authorship
IN_FLIGHT_PER_WORKER = 2  # chunks queued per worker before the walk waits

Row = dict[str, Any]
Item = TypeVar("Item")


@dataclass(frozen=True)
class RepoHandle:
    """What a worker needs to open the repository the parent is mining."""

    git_dir: str
    selfware_dir: str
    repo_name: str


_worker: LaterFixes | None = None


def _start_worker(handle: RepoHandle) -> None:
    global _worker
    repo = open_repository(Path(handle.git_dir))
    trail = Trail(repo, Path(handle.selfware_dir))
    extractor = Extractor(repo, trail, handle.repo_name, Counter())
    _worker = LaterFixes(repo, trail, extractor.reader, handle.repo_name, Counter())


def _rows_of_chunk(chunk: list[LaterFix]) -> tuple[list[list[Row]], Counter]:
    assert _worker is not None, "worker started without its repository"
    _worker.skips = Counter()
    rows = [list(_worker.rows(fix)) for fix in chunk]
    return rows, _worker.skips


class FixRows:
    """Each item of a correction stream with its rows, in stream order: later fixes built by
    `workers` processes (once there are enough of them), everything else by `local`."""

    def __init__(self, handle: RepoHandle, workers: int, skips: Counter) -> None:
        self.handle = handle
        self.workers = workers
        self.skips = skips
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> FixRows:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def ordered(
        self, items: Iterable[Item], local: Callable[[Item], list[Row]]
    ) -> Iterator[tuple[Item, list[Row]]]:
        pending: deque[tuple[list[Item], Future | list[list[Row]]]] = deque()
        batch: list[Item] = []
        for item in items:
            if self.workers > 1 and isinstance(item, LaterFix):
                batch.append(item)
                if len(batch) >= CHUNK:
                    pending.append((batch, self._submit(batch)))
                    batch = []
            else:
                if batch:
                    pending.append((batch, self._submit_or_build(batch, local)))
                    batch = []
                pending.append(([item], [local(item)]))
            yield from self._drain(pending, wait=False)
        if batch:
            pending.append((batch, self._submit_or_build(batch, local)))
        yield from self._drain(pending, wait=True)

    def _submit(self, batch: list[Item]) -> Future:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.handle,),
            )
        return self._pool.submit(_rows_of_chunk, batch)

    def _submit_or_build(
        self, batch: list[Item], local: Callable[[Item], list[Row]]
    ) -> Future | list[list[Row]]:
        """A short batch goes to the pool when there is one; built here otherwise."""
        if self._pool is not None:
            return self._submit(batch)
        return [local(item) for item in batch]

    def _drain(
        self, pending: deque[tuple[list[Item], Future | list[list[Row]]]], wait: bool
    ) -> Iterator[tuple[Item, list[Row]]]:
        """Yield finished work from the front, in order; wait on the front while too much is
        queued (memory stays bounded) or when the stream has ended."""
        limit = self.workers * IN_FLIGHT_PER_WORKER
        while pending:
            items, work = pending[0]
            if isinstance(work, Future):
                if not (wait or work.done() or len(pending) > limit):
                    return
                rows, skips = work.result()
                self.skips.update(skips)
            else:
                rows = work
            pending.popleft()
            yield from zip(items, rows, strict=True)
