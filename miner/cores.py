"""How many processes this machine can run side by side."""

from __future__ import annotations

import os


def available_cores() -> int:
    """Cores this process may run on: the affinity mask where the OS has one."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1
