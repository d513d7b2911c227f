"""Starts the real console (reflex run --env prod) on a free port against a fresh seeded database."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ConsoleServer:
    """One app process; `restart()` stops it and starts it again on the same port and database."""

    def __init__(self) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="maas-journeys-"))
        self.port = free_port()
        self.base_url = f"http://localhost:{self.port}"
        self.log_path = self.workdir / "server.log"
        self.env = {
            **os.environ,
            "MAAS_DB_URL": f"sqlite:///{self.workdir / 'journeys.db'}",
            "MAAS_SECRET_KEY_FILE": str(self.workdir / "secret.key"),
            "REFLEX_TELEMETRY_ENABLED": "false",
            "PYTHONUNBUFFERED": "1",
            # Gateway: keys/policies changed by the tests' own process are seen within 1 s; a
            # slow upstream times out after 3 s.
            "MAAS_GATEWAY_CACHE_TTL": "1",
            "MAAS_GATEWAY_UPSTREAM_TIMEOUT": "3",
        }
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
        shutil.rmtree(self.workdir, ignore_errors=True)
