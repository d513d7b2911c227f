"""The console's limits applied to one request, with Kuadrant semantics (domain.limits).

Order: time windows (403), budgets (per period of their renewal rule: domain.renewals), token limits (a window whose count is reached
blocks further requests), then request limits (counted before the call, all or nothing).
Every window of every applicable limit counts at once. Hard limits refuse (429 with
Retry-After); soft limits let the request through and mark it throttled. After the call the
reported tokens and the cost are added to their counters.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from maas_ui import db
from maas_ui.domain import limits as lim
from maas_ui.domain import renewals as rn
from maas_ui.services import gateway as gw
from maas_gateway.directory import KeyEntry
from maas_gateway.limiter import Counter, Limiter, unavailable_on_error


@dataclass(frozen=True)
class Blocked:
    status: int  # 403 | 429
    code: str
    message: str
    limit: lim.Limit
    retry_after_s: int | None = None

    def detail(self) -> dict:
        return {
            "policy": self.limit.source_label,
            "source_name": self.limit.source_name,
            "kind": self.limit.kind,
            "window": self.limit.window.label if self.limit.window else f"{self.limit.start}-{self.limit.end} UTC",
            "limit": self.limit.amount if self.limit.kind != lim.TIME_WINDOW.name else None,
            "label": self.limit.label,
        }


@dataclass
class Admission:
    """A request let in: the counters it charges after the call, and the soft limits it went over."""

    throttled_by: list[lim.Limit] = field(default_factory=list)
    request_counters: list[tuple[Counter, lim.Limit]] = field(default_factory=list)
    token_counters: list[tuple[Counter, lim.Limit]] = field(default_factory=list)
    budget_names: list[tuple[str, lim.Limit]] = field(default_factory=list)

    @property
    def throttled(self) -> bool:
        return bool(self.throttled_by)


def budget_period(limit: lim.Limit, now: datetime) -> rn.Period:
    """The period a budget counts in now: at renewal its count starts over (a new period, a new count)."""
    return rn.current_period(limit.renewal or rn.CALENDAR_MONTH, now)


_BUDGET_ADD_LUA = """
if redis.call('exists', KEYS[1]) == 1 then return redis.call('incrbyfloat', KEYS[1], ARGV[1]) end
return false
"""
BUDGET_TTL_S = 40 * 86400  # a month's counter outlives its month


class Budgets:
    """Cost per budget counter in its current period: loaded from the records once per period, then
    kept in memory, or in the shared Redis (`redis`, a sync client) so every worker adds to one sum.
    A fixed date range outside its dates counts nothing."""

    def __init__(self, db_url: str | None = None, redis=None):
        self.db_url = db_url
        self.redis = redis
        self._spent: dict[str, tuple[datetime, float]] = {}
        self._add_lua = redis.register_script(_BUDGET_ADD_LUA) if redis is not None else None

    @staticmethod
    def _key(name: str, period_start: datetime) -> str:
        return f"maas:budget:{period_start:%Y-%m-%dT%H%M}:{name}"

    async def _shared_spent(self, name: str, entry: KeyEntry, limit: lim.Limit, model: gw.GatewayModel,
                            period: rn.Period) -> float:
        key = self._key(name, period.start)
        with unavailable_on_error():
            raw = self.redis.get(key)
        if raw is None:
            # First use this month (or Redis lost it): the records are the truth; the first worker
            # to store its sum wins, the others read that one.
            value = await asyncio.to_thread(self._load, entry, limit, model, period)
            with unavailable_on_error():
                self.redis.set(key, repr(value), nx=True, ex=BUDGET_TTL_S)
                raw = self.redis.get(key)
        return float(raw or 0)

    def _load(self, entry: KeyEntry, limit: lim.Limit, model: gw.GatewayModel, period: rn.Period) -> float:
        with db.get_engine(self.db_url).connect() as conn:
            if limit.key_level:
                return gw.month_cost(conn, period.start, key_id=entry.key.id, until=period.end)
            return gw.month_cost(conn, period.start, owner=(entry.key.owner_kind, entry.key.owner_id),
                                 asset_id=model.id if limit.per_model else None, until=period.end)

    async def spent(self, name: str, entry: KeyEntry, limit: lim.Limit, model: gw.GatewayModel,
                    now: datetime) -> float:
        period = budget_period(limit, now)
        if not period.started or period.ended:
            return 0.0
        if self.redis is not None:
            return await self._shared_spent(name, entry, limit, model, period)
        cur = self._spent.get(name)
        if cur is None or cur[0] != period.start:
            value = await asyncio.to_thread(self._load, entry, limit, model, period)
            cur = self._spent.get(name)
            if cur is None or cur[0] != period.start:  # another request may have loaded it meanwhile
                self._spent[name] = cur = (period.start, value)
        return cur[1]

    def add(self, name: str, cost: float, now: datetime, limit: lim.Limit | None = None) -> None:
        if self._add_lua is not None:
            if cost and limit is not None:
                with unavailable_on_error():
                    self._add_lua(keys=[self._key(name, budget_period(limit, now).start)], args=[repr(float(cost))])
            return
        cur = self._spent.get(name)
        start = budget_period(limit, now).start if limit is not None else (cur[0] if cur else None)
        if cur is not None and cur[0] == start:
            self._spent[name] = (start, cur[1] + cost)


def _counter(limit: lim.Limit, name: str) -> Counter:
    return Counter(name, int(limit.amount or 0), limit.window.seconds or 60)


def reset_label(seconds: float) -> str:
    """OpenAI's style: '1s', '6m0s', '1h2m3s'."""
    s = max(0, int(round(seconds)))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    if h:
        return f"{h}h{m}m{sec}s"
    if m:
        return f"{m}m{sec}s"
    return f"{sec}s"


class Enforcer:
    def __init__(self, limiter: Limiter, budgets: Budgets):
        self.limiter = limiter
        self.budgets = budgets

    def _names(self, entry: KeyEntry, limit: lim.Limit, model: gw.GatewayModel) -> str:
        return limit.counter_id(entry.key.public_id, entry.identity, model.identifier)

    async def admit(self, entry: KeyEntry, model: gw.GatewayModel, now: datetime) -> Admission | Blocked:
        ml = entry.limits.get(model.id)
        adm = Admission()
        if ml is None or not ml.limits:
            return adm
        minute = now.hour * 60 + now.minute
        for limit in ml.limits:
            if limit.kind == lim.TIME_WINDOW.name and not lim.in_time_window(limit, minute):
                return Blocked(403, "outside_time_window",
                               f"Calls are allowed only between {limit.start} and {limit.end} UTC under policy "
                               f"{limit.source_label} ({limit.source_name}).", limit)
        # Budgets (the database is read only the first time in a month; awaits happen here, before
        # the counters below are tested and hit without any await in between).
        for limit in ml.limits:
            if limit.kind != lim.BUDGET.name:
                continue
            name = self._names(entry, limit, model)
            period = budget_period(limit, now)
            if not period.started or period.ended:  # a fixed date range: nothing counts outside it
                continue
            spent = await self.budgets.spent(name, entry, limit, model, now)
            adm.budget_names.append((name, limit))
            if spent >= (limit.amount or 0):
                if limit.behavior == "soft":
                    adm.throttled_by.append(limit)
                else:
                    retry = int((period.end - now).total_seconds()) + 1
                    renews = (f"it renews on {rn.days_label(period.renews_on)}" if period.renews_on
                              else "its date range does not renew")
                    return Blocked(429, "budget_exceeded",
                                   f"The budget {limit.label} of {limit.source_label} is used up "
                                   f"(${spent:,.2f} spent this period; {renews}).", limit, retry)
        checks: list[tuple[Counter, bool]] = []
        for limit in ml.limits:
            if limit.kind == lim.TOKENS.name:
                counter = _counter(limit, self._names(entry, limit, model))
                adm.token_counters.append((counter, limit))
                if not self.limiter.test(counter):
                    if limit.behavior == "soft":
                        adm.throttled_by.append(limit)
                    else:
                        return self._blocked(limit, counter, "tokens")
            elif limit.kind == lim.REQUESTS.name:
                counter = _counter(limit, self._names(entry, limit, model))
                adm.request_counters.append((counter, limit))
                soft = limit.behavior == "soft"
                if soft and not self.limiter.test(counter):
                    adm.throttled_by.append(limit)
                checks.append((counter, not soft))
        full = self.limiter.acquire(checks)
        if full is not None:
            limit = next(l for c, l in adm.request_counters if c == full)
            return self._blocked(limit, full, "requests")
        return adm

    def _blocked(self, limit: lim.Limit, counter: Counter, noun: str) -> Blocked:
        state = self.limiter.state(counter)
        retry = max(1, int(state.reset_at - time.time() + 0.999))
        who = "this key's own limit" if limit.key_level else f"policy {limit.source_slug} ({limit.source_name})"
        return Blocked(429, "rate_limit_exceeded",
                       f"Rate limit reached: {limit.label} set by {who}. Try again in {reset_label(retry)}.",
                       limit, retry)

    def settle(self, adm: Admission, tokens: int, cost: float, now: datetime) -> None:
        for counter, _ in adm.token_counters:
            self.limiter.add(counter, tokens)
        for name, limit in adm.budget_names:
            self.budgets.add(name, cost, now, limit)

    def headers(self, adm: Admission) -> dict[str, str]:
        out: dict[str, str] = {}
        for noun, counters in (("requests", adm.request_counters), ("tokens", adm.token_counters)):
            if not counters:
                continue
            states = list(zip(self.limiter.states([c for c, _ in counters]), [c for c, _ in counters]))
            state, counter = min(states, key=lambda sc: (sc[0].remaining, sc[1].amount))
            out[f"x-ratelimit-limit-{noun}"] = str(counter.amount)
            out[f"x-ratelimit-remaining-{noun}"] = str(state.remaining)
            out[f"x-ratelimit-reset-{noun}"] = reset_label(state.reset_at - time.time())
        if adm.throttled_by:
            out["x-maas-throttled"] = ", ".join(f"{l.source_label}: {l.label}" for l in adm.throttled_by)
        return out

    async def headroom(self, entry: KeyEntry, now: datetime) -> list[dict]:
        """Per granted model and limit: the live count, what remains and when the window resets."""
        out = []
        minute = now.hour * 60 + now.minute
        for model in entry.granted():
            ml = entry.limits.get(model.id)
            rows = []
            for limit in (ml.limits if ml else ()):
                row = {
                    "kind": limit.kind, "label": limit.label, "policy": limit.source_label,
                    "source_name": limit.source_name, "behavior": limit.behavior,
                    "window": limit.window.label if limit.window else None,
                    "limit": limit.amount, "tightest": bool(ml and ml.is_tightest(limit)),
                }
                if limit.kind == lim.TIME_WINDOW.name:
                    row.update(window=f"{limit.start}-{limit.end} UTC", open_now=lim.in_time_window(limit, minute),
                               used=None, remaining=None, reset_at=None, reset_in_s=None)
                elif limit.kind == lim.BUDGET.name:
                    name = self._names(entry, limit, model)
                    spent = await self.budgets.spent(name, entry, limit, model, now)
                    reset = budget_period(limit, now).end
                    row.update(used=round(spent, 6), remaining=round(max(0.0, (limit.amount or 0) - spent), 6),
                               reset_at=reset.isoformat(), reset_in_s=int((reset - now).total_seconds()))
                else:
                    state = self.limiter.state(_counter(limit, self._names(entry, limit, model)))
                    reset_in = max(0.0, state.reset_at - time.time())
                    started = state.used > 0
                    row.update(used=state.used, remaining=state.remaining,
                               reset_at=(now + timedelta(seconds=reset_in)).isoformat() if started else None,
                               reset_in_s=int(round(reset_in)) if started else None)
                rows.append(row)
            out.append({"model": model.identifier, "name": model.name, "limits": rows})
        return out


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
