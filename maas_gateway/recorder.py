"""Usage recording off the request path: records go to a list, a task writes them in batches.

Lossless: a batch that fails to write is put back and retried; `stop()` (clean shutdown)
writes whatever is left. Costs are also added to the in-memory budget counters at once, so a
budget blocks without waiting for the database.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from maas_ui import db
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

    def add(self, record: RequestRecord) -> None:
        self._pending.append(record)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def _write(self, batch: list[RequestRecord]) -> None:
        with self._write_lock, db.get_engine(self.db_url).begin() as conn:
            record_batch(conn, batch)
        self.written += len(batch)

    def _wait_for_writer(self) -> None:
        with self._write_lock:
            pass

    async def flush(self) -> None:
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        try:
            await asyncio.to_thread(self._write, batch)
        except Exception:  # keep them: the next flush retries (never lose a record)
            log.exception("writing %d usage records failed; will retry", len(batch))
            self._pending[:0] = batch
            raise

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
        await asyncio.to_thread(self._wait_for_writer)
        for _ in range(3):
            try:
                await self.flush()
                return
            except Exception:
                await asyncio.sleep(0.5)
