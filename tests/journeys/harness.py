"""Starts the real console (reflex run --env prod) on a free port against a fresh seeded database
(an SQLite file, or a database of its own in the PostgreSQL server named by MAAS_TEST_DB_URL)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from sqlalchemy import make_url

from tests import databases

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ConsoleServer:
    """One app process; `restart()` stops it and starts it again on the same port and database.

    On PostgreSQL the console reaches its database through `db_proxy`, which a test can cut to
    play an outage. Only one console per checkout at a time: each `reflex run --env prod`
    rebuilds .web/ with its own port baked into the pages, so a second one breaks the first.
    """

    def __init__(self) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="maas-journeys-"))
        self.port = free_port()
        self.base_url = f"http://localhost:{self.port}"
        self.log_path = self.workdir / "server.log"
        self.db_url = databases.new_database(self.workdir, "journeys")
        self.db_proxy: TcpProxy | None = None
        console_db_url = self.db_url
        if self.db_url.startswith("postgresql"):
            url = make_url(self.db_url)
            self.db_proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
            console_db_url = url.set(host="127.0.0.1", port=self.db_proxy.port).render_as_string(hide_password=False)
        self.env = {
            **os.environ,
            "MAAS_DB_URL": console_db_url,
            "MAAS_SECRET_KEY_FILE": str(self.workdir / "secret.key"),
            "REFLEX_TELEMETRY_ENABLED": "false",
            "PYTHONUNBUFFERED": "1",
            # Gateway: keys/policies changed by the tests' own process are seen within 1 s; a
            # slow upstream times out after 3 s.
            "MAAS_GATEWAY_CACHE_TTL": "1",
            "MAAS_GATEWAY_UPSTREAM_TIMEOUT": "3",
        }
        # Single worker, in-memory state unless the run asks for the scaled mode explicitly.
        for name in ("MAAS_REDIS_URL", "REFLEX_REDIS_URL", "MAAS_WORKERS", "GRANIAN_WORKERS"):
            self.env.pop(name, None)
        if os.environ.get("MAAS_TEST_REDIS_URL"):
            self.env["MAAS_REDIS_URL"] = os.environ["MAAS_TEST_REDIS_URL"]
            self.env["MAAS_WORKERS"] = os.environ.get("MAAS_TEST_WORKERS", "2")
        self._proc: subprocess.Popen | None = None

    def prepare_database(self) -> None:
        subprocess.run(
            [sys.executable, "-m", "maas_ui.manage", "prepare"],
            cwd=PROJECT_ROOT, env=self.env, check=True, capture_output=True, text=True,
        )

    def start(self, timeout: float = 600) -> None:
        log = open(self.log_path, "a")
        self._proc = subprocess.Popen(
            [str(VENV_BIN / "reflex"), "run", "--env", "prod",
             "--frontend-port", str(self.port), "--backend-port", str(self.port)],
            cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"the console exited while starting; log:\n{self.log_tail()}")
            if self._ready():
                return
            time.sleep(1)
        raise RuntimeError(f"the console did not answer within {timeout:.0f} s; log:\n{self.log_tail()}")

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base_url}/ping", timeout=2) as r:
                if r.status != 200:
                    return False
            with urllib.request.urlopen(f"{self.base_url}/", timeout=5) as r:
                return r.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self._proc is None:
            return
        try:
            os.killpg(self._proc.pid, signal.SIGTERM)
            self._proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._proc.wait(timeout=10)
        self._proc = None
        # The port must be free before a restart binds it again.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) != 0:
                    break
            time.sleep(0.3)

    def restart(self) -> None:
        self.stop()
        self.start()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def cleanup(self) -> None:
        self.stop()
        if self.db_proxy is not None:
            self.db_proxy.cut()
        databases.drop_database(self.db_url)
        shutil.rmtree(self.workdir, ignore_errors=True)


class TcpProxy:
    """Forwards a local port to a server (the console's database), and can cut it like an outage:
    `cut()` drops every connection and refuses new ones, `restore()` listens again on the same port."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def restore_if_cut(self) -> None:
        if self._listener is None:
            self.restore()

    def cut(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() under way; close alone would not
            except OSError:
                pass
            listener.close()
        with self._lock:
            conns, self._conns = self._conns, []
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for c in (src, dst):
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
