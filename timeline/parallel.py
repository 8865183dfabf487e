"""Work shared among forked processes, one per core: they inherit what the parent holds, nothing is pickled there.

Only results travel back. Where `fork` is missing (Windows, macOS's default),
or the work is too small to pay for the processes, it runs here.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from typing import Any

_shared: tuple[Callable[[Any], Any], Sequence[Any], int] | None = None


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def forked_map(function: Callable[[Any], Any], items: Sequence[Any], *, least: int) -> list[Any]:
    """`[function(item) for item in items]`, on every core when there are at least `least` items a core."""
    workers = min(cores(), len(items) // least) if "fork" in multiprocessing.get_all_start_methods() else 1
    if workers <= 1:
        return [function(item) for item in items]
    global _shared
    _shared = (function, items, workers)
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=worker_signals) as pool:
            shares = pool.map(_share, range(workers))
    finally:
        _shared = None
    results: list[Any] = [None] * len(items)
    for share, values in enumerate(shares):
        results[share::workers] = values
    return results


def _share(share: int) -> list[Any]:
    assert _shared is not None
    function, items, workers = _shared
    return [function(item) for item in items[share::workers]]


def worker_signals() -> None:
    """Workers die on SIGTERM, as the pool expects when it stops them; Ctrl-C reaches the whole group,
    and the parent stops the pool and cleans up."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
