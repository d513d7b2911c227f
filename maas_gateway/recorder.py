"""Usage recording off the request path: records go to a list, a task writes them in batches.

Lossless: a batch that fails to write is put back and retried; `stop()` (clean shutdown)
waits for a write under way and writes whatever is left. Costs are also added to the in-memory budget counters at once, so a
budget blocks without waiting for the database.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time

from maas_ui import db
from maas_ui.services import quotas
from maas_ui.services.gateway import RequestRecord, record_batch

log = logging.getLogger("maas_gateway.recorder")


class Recorder:
    def __init__(self, interval_s: float = 0.25, db_url: str | None = None):
        self.interval_s = interval_s
        self.db_url = db_url
        self._pending: list[RequestRecord] = []
        self._task: asyncio.Task | None = None
        self._write_lock = threading.Lock()  # one writer at a time (the task, or a final flush)
        self.written = 0
        self._inflight: set[asyncio.Future] = set()
        self._alerts_checked: dict[int, float] = {}  # key id -> when its budget alerts were last checked

    ALERT_CHECK_EVERY_S = 10.0  # per key: alerts need not be per request, and the check reads the database

    def _check_alerts(self, batch: list[RequestRecord]) -> None:
        """Budget alerts (80/90/100 %) for the keys this batch spent on, each at most every few seconds."""
        now = time.monotonic()
        for key_id in sorted({r.key_id for r in batch if r.cost_usd}):
            if now - self._alerts_checked.get(key_id, -self.ALERT_CHECK_EVERY_S) < self.ALERT_CHECK_EVERY_S:
                continue
            self._alerts_checked[key_id] = now
            try:
                quotas.check_key_id(key_id, url=self.db_url)
            except Exception:  # an alert must never lose usage records
                log.exception("checking budget alerts of key %s failed", key_id)

    def add(self, record: RequestRecord) -> None:
        self._pending.append(record)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def _write(self, batch: list[RequestRecord]) -> None:
        with self._write_lock, db.get_engine(self.db_url).begin() as conn:
            record_batch(conn, batch)
        self.written += len(batch)
        self._check_alerts(batch)

    async def flush(self) -> None:
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        fut = asyncio.get_running_loop().run_in_executor(None, self._write, batch)
        self._inflight.add(fut)

        def done(f: asyncio.Future, batch=batch) -> None:
            self._inflight.discard(f)
            if not f.cancelled() and f.exception() is not None:  # keep them: the next flush retries
                log.error("writing %d usage records failed; will retry: %s", len(batch), f.exception())
                self._pending[:0] = batch

        fut.add_done_callback(done)
        await asyncio.shield(fut)  # cancelling the caller never abandons a write under way

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            try:
                await self.flush()
            except Exception:
                await asyncio.sleep(min(5.0, self.interval_s * 4))

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="maas-gateway-recorder")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass
            self._task = None
        # A batch the cancelled task handed to a thread may still be writing: wait for it.
        if self._inflight:
            await asyncio.gather(*list(self._inflight), return_exceptions=True)
        for _ in range(3):
            try:
                await self.flush()
                return
            except Exception:
                await asyncio.sleep(0.5)
        log.error("shutting down with %d usage records that could not be written", len(self._pending))
