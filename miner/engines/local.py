"""The local engine: the calls in this process one after another, or in `jobs` processes."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any


class LocalEngine:
    def __init__(self, jobs: int) -> None:
        self.jobs = jobs

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map(
        self, function: Callable[..., Any], calls: list[tuple], on_done: Callable[[], Any]
    ) -> list[Any]:
        if self.jobs == 1 or len(calls) < 2:
            return [_call(function, args, on_done) for args in calls]
        results: list[Any] = [None] * len(calls)
        with ProcessPoolExecutor(max_workers=min(self.jobs, len(calls))) as pool:
            futures = {pool.submit(function, *args): i for i, args in enumerate(calls)}
            for future in as_completed(futures):
                results[futures[future]] = future.exception() or future.result()
                on_done()
        return results


def _call(function: Callable[..., Any], args: tuple, on_done: Callable[[], Any]) -> Any:
    try:
        return function(*args)
    except Exception as exc:  # one repository's failure is its report, not everyone's
        return exc
    finally:
        on_done()
