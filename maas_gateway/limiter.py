"""Counters for request and token limits: the `limits` library behind one small interface.

Fixed windows that start with a counter's first hit (as Limitador's do). In-memory storage by
default; `storage_url` takes any `limits` storage URL: with redis:// every worker counts in the
same Redis (the library's RedisStorage, whose keys and window expiry we share).

Exactness: `acquire` tests every counter and then hits them all, all or nothing, so N parallel
requests against a limit of N see exactly N successes, and a request refused by one limit is not
counted by the others (Limitador's check-then-update). In memory that holds because nothing awaits
in between; in Redis one Lua script does the test and the hits in one atomic step, so it holds
across workers too. A Redis that does not answer raises `StoreUnavailable` within about a second.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from limits import RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

REDIS_TIMEOUT_S = 1.0  # a Redis that does not answer within this is down: 503, not a hang


class StoreUnavailable(Exception):
    """The shared counter store (Redis) did not answer."""


# KEYS: the counters' keys; ARGV: per counter amount, window seconds, blocking (1/0).
# Refuses (returns the 1-based index of the first full blocking counter) or counts one on each,
# starting a counter's window (its expiry) at its first hit, as limits' own incr script does.
_ACQUIRE_LUA = """
for i = 1, #KEYS do
    if ARGV[i * 3] == '1' then
        local used = tonumber(redis.call('get', KEYS[i]) or '0')
        if used + 1 > tonumber(ARGV[i * 3 - 2]) then return i end
    end
end
for i = 1, #KEYS do
    if redis.call('incrby', KEYS[i], 1) == 1 then redis.call('expire', KEYS[i], ARGV[i * 3 - 1]) end
end
return 0
"""


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
    if url.startswith("memory://"):
        return SweepingMemoryStorage()
    if url.startswith(("redis://", "rediss://", "redis+unix://")):
        return storage_from_string(url, wrap_exceptions=True, socket_timeout=REDIS_TIMEOUT_S,
                                   socket_connect_timeout=REDIS_TIMEOUT_S, health_check_interval=30)
    return storage_from_string(url, wrap_exceptions=True)


def redis_client(storage):
    """The storage's Redis client (shared by budgets and the change counter), or None in memory."""
    return storage.get_connection() if isinstance(storage, RedisStorage) else None


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
        self.redis = redis_client(self.storage)
        self._acquire_lua = self.redis.register_script(_ACQUIRE_LUA) if self.redis is not None else None

    @property
    def shared(self) -> bool:
        return self.redis is not None

    def test(self, counter: Counter, cost: int = 1) -> bool:
        """Whether `cost` more fits in the current window."""
        with unavailable_on_error():
            return self.strategy.test(counter.item, counter.name, cost=cost)

    def acquire(self, counters: list[tuple[Counter, bool]]) -> Counter | None:
        """Count one request on every counter, all or nothing.

        `counters` pairs each counter with whether it blocks (hard) or only flags (soft). Returns
        the first blocking counter that is full (nothing counted), else counts one on each and
        returns None. Soft counters that were already full are reported by `full_soft`.
        """
        if not counters:
            return None
        if self._acquire_lua is not None:
            keys, args = [], []
            for counter, blocking in counters:
                keys.append(self.storage.prefixed_key(counter.item.key_for(counter.name)))
                args += [counter.amount, counter.window_s, 1 if blocking else 0]
            with unavailable_on_error():
                refused = int(self._acquire_lua(keys=keys, args=args))
            return counters[refused - 1][0] if refused else None
        for counter, blocking in counters:
            if blocking and not self.strategy.test(counter.item, counter.name):
                return counter
        for counter, _ in counters:
            self.strategy.hit(counter.item, counter.name)
        return None

    def add(self, counter: Counter, amount: int) -> None:
        """Count `amount` (tokens after a call), past the limit if need be: later requests see it full."""
        if amount > 0:
            with unavailable_on_error():
                self.strategy.hit(counter.item, counter.name, cost=amount)

    def states(self, counters: list[Counter]) -> list[CounterState]:
        """state() of several counters; in Redis one pipelined round trip (GET and PTTL of each)."""
        if self.redis is None or not counters:
            return [self.state(c) for c in counters]
        with unavailable_on_error():
            pipe = self.redis.pipeline(transaction=False)
            for c in counters:
                key = self.storage.prefixed_key(c.item.key_for(c.name))
                pipe.get(key)
                pipe.pttl(key)
            raw = pipe.execute()
        now, out = time.time(), []
        for i, c in enumerate(counters):
            used, ttl_ms = int(raw[2 * i] or 0), raw[2 * i + 1]
            reset = now + ttl_ms / 1000 if used and ttl_ms and ttl_ms > 0 else now
            out.append(CounterState(used=used, remaining=max(0, c.amount - used), reset_at=reset))
        return out

    def state(self, counter: Counter) -> CounterState:
        with unavailable_on_error():
            stats = self.strategy.get_window_stats(counter.item, counter.name)
            raw = self.storage.get(counter.item.key_for(counter.name))
        used = max(counter.amount - stats.remaining, int(raw or 0))
        reset = stats.reset_time if raw else time.time()
        return CounterState(used=used, remaining=max(0, counter.amount - used), reset_at=reset)

    def reset(self) -> None:
        self.storage.reset()


class unavailable_on_error:  # noqa: N801 (used as a context manager)
    """Turns the store's connection errors into StoreUnavailable (the gateway answers 503)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, _tb) -> bool:
        if exc is None:
            return False
        if isinstance(exc, StorageError) or _is_redis_error(exc):
            raise StoreUnavailable(str(getattr(exc, "storage_error", exc) or exc)) from exc
        return False


def _is_redis_error(exc: BaseException) -> bool:
    try:
        from redis.exceptions import RedisError
    except ImportError:
        return False
    return isinstance(exc, RedisError)
