"""Mining at scale. Takes: repositories, as paths or clone URLs (`clones`), to mine into a
folder of Parquet parts. Gives: one task per repository (`mine_parts`) run by an engine.

The engines run those tasks: this machine's processes (`local`) or Ray tasks
(`ray`). Each is a context manager (entering it starts the engine: Ray joins its cluster) with
`map(function, calls, on_done)`, which returns, in the order of `calls`, each call's result or
the exception that ended it."""

from __future__ import annotations

from typing import Any

from selfware_git.hooks.errors import UserError

from ..cores import available_cores

ENGINES = ("local", "ray")


def engine_for(name: str, jobs: int | None, address: str | None) -> Any:
    """The engine by name; `jobs` is the local engine's (None: the machine's cores)."""
    if name == "ray":
        if jobs is not None and jobs > 1:
            raise UserError("--jobs is for the local engine", "Ray runs a task per CPU it has")
        from .ray_engine import RayEngine

        return RayEngine(address)
    if address is not None:
        raise UserError("--address names a Ray cluster", "add --engine ray")
    from .local import LocalEngine

    return LocalEngine(jobs or available_cores())
