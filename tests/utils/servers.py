"""API servers as real processes: start a command, wait until it answers, stop it with SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

CLI = str(Path(sys.executable).parent / "prisoners-api")
"""The `prisoners-api` command of the environment running the tests."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any service setting, plus `settings`."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("PRISONERS_API_") and name not in {"DATABASE_URL", "FORWARDED_ALLOW_IPS"}
    }
    return kept | settings


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_records(self) -> list[dict[str, Any]]:
        """The JSON lines the server logged (anything else it printed is skipped)."""
        records = []
        for line in self.log().splitlines():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return records

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.get(self.base_url + path, timeout=30, **kwargs)

    def wait_until_answering(self, path: str = "/healthz", timeout: float = 60) -> httpx.Response:
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited with {self.process.returncode}:\n{self.log()}")
            try:
                response = self.get(path)
                if response.status_code == 200:
                    return response
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"{path} did not answer 200 within {timeout} s:\n{self.log()}")
            time.sleep(0.1)

    def terminate(self, timeout: float = 30) -> int:
        """SIGTERM, then the exit status (negative: ended by that signal)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)


@contextmanager
def running(command: list[str], env: Mapping[str, str], cwd: Path, log_path: Path) -> Iterator[Server]:
    """A server started with `command` (listening on env's PRISONERS_API_PORT), stopped afterwards."""
    port = env["PRISONERS_API_PORT"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=dict(env), cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    try:
        server.wait_until_answering()
        yield server
    finally:
        stop(process, 30)


def stop(process: subprocess.Popen[bytes], timeout: float) -> None:
    """SIGTERM, then SIGKILL after `timeout` seconds, unless the process has ended already."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
