"""Counters for request and token limits: the `limits` library behind one small interface.

Fixed windows that start with a counter's first hit (as Limitador's do). In-memory storage by
default; `storage_url` takes any `limits` storage URL (a later issue uses Redis).

Exactness: `acquire` tests every counter and then hits them all, with no await in between, so
within one event loop N parallel requests against a limit of N see exactly N successes, and a
request refused by one limit is not counted by the others (Limitador's check-then-update).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter


class SweepingMemoryStorage(MemoryStorage):
    """limits' in-memory storage, minus a thread start per hit.

    MemoryStorage starts a 10 ms threading.Timer to sweep expired counters whenever the last one
    has finished: under load that is a thread start on most hits (it was half of the gateway's
    CPU time). Expiry is already checked on every read; this sweeps the leftovers inline at most
    once a second instead.
    """

    STORAGE_SCHEME = ["maas-gateway-memory"]
    _next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 (overrides the private hook)
        now = time.time()
        if now >= self._next_sweep:
            self._next_sweep = now + 1.0
            self._MemoryStorage__expire_events()


def make_storage(url: str):
    return SweepingMemoryStorage() if url.startswith("memory://") else storage_from_string(url)


@dataclass(frozen=True)
class Counter:
    """One counter: an amount per window, under a name shared by everything it counts."""

    name: str
    amount: int
    window_s: int

    @property
    def item(self) -> RateLimitItemPerSecond:
        return _item(self.amount, self.window_s)


_items: dict[tuple[int, int], RateLimitItemPerSecond] = {}


def _item(amount: int, window_s: int) -> RateLimitItemPerSecond:
    item = _items.get((amount, window_s))
    if item is None:
        item = _items[(amount, window_s)] = RateLimitItemPerSecond(amount, window_s)
    return item


@dataclass(frozen=True)
class CounterState:
    used: int
    remaining: int
    reset_at: float  # epoch seconds; now when the window has not started


class Limiter:
    def __init__(self, storage_url: str = "memory://"):
        self.storage = make_storage(storage_url)
        self.strategy = FixedWindowRateLimiter(self.storage)

    def test(self, counter: Counter, cost: int = 1) -> bool:
        """Whether `cost` more fits in the current window."""
        return self.strategy.test(counter.item, counter.name, cost=cost)

    def acquire(self, counters: list[tuple[Counter, bool]]) -> Counter | None:
        """Count one request on every counter, all or nothing.

        `counters` pairs each counter with whether it blocks (hard) or only flags (soft). Returns
        the first blocking counter that is full (nothing counted), else counts one on each and
        returns None. Soft counters that were already full are reported by `full_soft`.
        """
        for counter, blocking in counters:
            if blocking and not self.strategy.test(counter.item, counter.name):
                return counter
        for counter, _ in counters:
            self.strategy.hit(counter.item, counter.name)
        return None

    def add(self, counter: Counter, amount: int) -> None:
        """Count `amount` (tokens after a call), past the limit if need be: later requests see it full."""
        if amount > 0:
            self.strategy.hit(counter.item, counter.name, cost=amount)

    def state(self, counter: Counter) -> CounterState:
        stats = self.strategy.get_window_stats(counter.item, counter.name)
        used = counter.amount - stats.remaining
        raw = self.storage.get(counter.item.key_for(counter.name))
        used = max(used, int(raw or 0))
        reset = stats.reset_time if raw else time.time()
        return CounterState(used=used, remaining=max(0, counter.amount - used), reset_at=reset)

    def reset(self) -> None:
        self.storage.reset()
