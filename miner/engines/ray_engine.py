"""The Ray engine: one Ray task per repository, retried when its worker is lost, on a fresh
local instance (no address: `ray.init(address="local")`, which never joins a cluster named by
RAY_ADDRESS) or on a running cluster (`auto`, `host:port`, `ray://host:port`). An unreachable
cluster is an error at once: Ray itself would wait for it for minutes."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from typing import Any

from selfware_git.hooks.errors import UserError

# A task whose worker dies (killed, out of memory, node lost) is run again this many times.
RETRIES = 3
CONNECT_TIMEOUT_S = 5
INSTALL_HINT = "pip install 'selfware-git[ray]'"
CLUSTER_HINT = "start one with `ray start --head`, or leave out --address for a local instance"


class RayEngine:
    def __init__(self, address: str | None) -> None:
        self.address = address
        self._ray: Any = None
        self._started = False

    def __enter__(self) -> RayEngine:
        self._ray = _import_ray()
        self._started = _connect(self._ray, self.address)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._started:
            self._ray.shutdown()
        self._ray, self._started = None, False

    def map(
        self, function: Callable[..., Any], calls: list[tuple], on_done: Callable[[], Any]
    ) -> list[Any]:
        ray = self._ray
        task = ray.remote(max_retries=RETRIES, retry_exceptions=False, num_cpus=1)(function)
        refs = [task.remote(*args) for args in calls]
        index = {ref: i for i, ref in enumerate(refs)}
        results: list[Any] = [None] * len(refs)
        pending = list(refs)
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            for ref in done:
                try:
                    results[index[ref]] = ray.get(ref)
                except Exception as exc:  # a task's failure is its repository's report
                    results[index[ref]] = exc
                on_done()
        return results


def _import_ray() -> Any:
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    try:
        import ray
    except ImportError as exc:
        raise UserError("--engine ray needs Ray, which is not installed", INSTALL_HINT) from exc
    return ray


def _connect(ray: Any, address: str | None) -> bool:
    """Join the cluster (True where this call started a local instance)."""
    if ray.is_initialized():
        return False  # a driver that set Ray up itself (tests, notebooks) keeps its instance
    quiet = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.WARNING}
    if address is None:
        ray.init(address="local", **quiet)
        return True
    _check_reachable(address)
    try:
        ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
    except Exception as exc:  # refused, timed out, no auth token, version mismatch: all the user's
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise UserError(
            f"cannot join the Ray cluster at {address}: {reason}", CLUSTER_HINT
        ) from exc
    return False


def _check_reachable(address: str) -> None:
    """Fail fast where nothing listens at the cluster's address."""
    if address.startswith("ray://"):
        host_port = address[len("ray://") :]
    else:
        from ray._private.services import canonicalize_bootstrap_address_or_die

        try:
            host_port = canonicalize_bootstrap_address_or_die(address)
        except (ConnectionError, ValueError) as exc:
            raise UserError(f"no Ray cluster at {address}: {exc}", CLUSTER_HINT) from exc
    host, _, port = host_port.rpartition(":")
    if not host or not port.isdigit():
        raise UserError(
            f"{address!r} is not a Ray address", "pass auto, HOST:PORT or ray://HOST:PORT"
        )
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise UserError(
            f"cannot reach the Ray cluster at {address} ({host_port}): {exc.strerror or exc}",
            CLUSTER_HINT,
        ) from exc
