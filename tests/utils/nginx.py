"""Debian's nginx with the shipped configuration (deploy/nginx.conf) in front of API instances.

The shipped file is used as it is, with only the example values of its header replaced (the public host
stays `data.example.org`; clients name it in `Host`), inside a main configuration that keeps every file
nginx writes (pid, logs, temporary files, the cache) under one folder. nginx runs in the foreground as a
child process and is stopped by its process id.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.utils.dockerfile import ROOT
from tests.utils.servers import CLI, Server, clean_environment, free_port, running, stop

SHIPPED = ROOT / "deploy" / "nginx.conf"
PUBLIC_HOST = "data.example.org"
PUBLIC_BASE_URL = f"https://{PUBLIC_HOST}"
EXAMPLE_UPSTREAMS = ("10.0.4.11:8000", "10.0.4.12:8000")
EXAMPLE_CACHE = "/var/cache/nginx/prisoners-api"
EXAMPLE_LOG = "/var/log/nginx/prisoners-api.log"
EXAMPLE_LISTEN = "listen 80"


def nginx_binary() -> str:
    """The nginx executable; a clear error when it is missing (scripts/check installs Debian's)."""
    found = shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(path, os.X_OK)), None
    )
    if found is None:
        raise RuntimeError(
            "nginx is not installed: the proxy test runs Debian's nginx in front of the API. "
            "`bash scripts/check` installs it, or as root: apt-get install nginx"
        )
    return found


@dataclass
class Nginx:
    process: subprocess.Popen[bytes]
    base_url: str
    port: int
    folder: Path

    @property
    def access_log(self) -> Path:
        return self.folder / "access.log"

    def log(self) -> str:
        return (self.folder / "error.log").read_text(encoding="utf-8", errors="replace")


def render(port: int, upstreams: Sequence[str], folder: Path, shipped: str | None = None) -> str:
    """The shipped configuration with its example values replaced; each must be found, so the file and
    this harness cannot drift apart unnoticed."""
    text = SHIPPED.read_text(encoding="utf-8") if shipped is None else shipped
    if len(upstreams) != len(EXAMPLE_UPSTREAMS):
        raise ValueError(f"the shipped file names {len(EXAMPLE_UPSTREAMS)} instances")
    replacements = {
        EXAMPLE_CACHE: str(folder / "cache"),
        EXAMPLE_LOG: str(folder / "access.log"),
        EXAMPLE_LISTEN: f"listen 127.0.0.1:{port}",
        **{
            f"server {example} ": f"server {actual} "
            for example, actual in zip(EXAMPLE_UPSTREAMS, upstreams, strict=True)
        },
    }
    for example, actual in replacements.items():
        if example not in text:
            raise AssertionError(f"{SHIPPED.name} no longer contains {example!r}")
        text = text.replace(example, actual)
    return text


def _main_configuration(folder: Path) -> str:
    # As root, nginx's workers would run as `nobody`, who may not write a pytest temporary folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {folder / 'temp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'} warn;\n"
        "events {\n    worker_connections 1024;\n}\n"
        f"http {{\n{temp}\n    include {folder / 'prisoners-api.conf'};\n}}\n"
    )


@contextmanager
def nginx_in_front(
    upstreams: Sequence[str], folder: Path, port: int, shipped: str | None = None
) -> Iterator[Nginx]:
    """nginx on 127.0.0.1:`port` with the shipped configuration (or `shipped`, a variant of its text)
    proxying to `upstreams` (host:port); stopped afterwards."""
    binary = nginx_binary()
    folder.mkdir(parents=True, exist_ok=True)
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / "temp" / kind).mkdir(parents=True, exist_ok=True)
    (folder / "prisoners-api.conf").write_text(render(port, upstreams, folder, shipped), encoding="utf-8")
    main = folder / "nginx.conf"
    main.write_text(_main_configuration(folder), encoding="utf-8")
    command = [binary, "-p", str(folder), "-c", str(main), "-e", str(folder / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    if checked.returncode != 0:
        raise AssertionError(f"nginx -t refused the configuration:\n{checked.stderr}")
    with (folder / "stderr.log").open("wb") as stderr:
        process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=stderr, stderr=subprocess.STDOUT)
    proxy = Nginx(process, f"http://127.0.0.1:{port}", port, folder)
    try:
        _wait_for_port(proxy)
        yield proxy
    finally:
        stop(process, 10)


def _wait_for_port(proxy: Nginx, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proxy.process.poll() is not None:
            raise AssertionError(f"nginx exited with {proxy.process.returncode}:\n{proxy.log()}")
        try:
            with socket.create_connection(("127.0.0.1", proxy.port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(f"nginx did not listen within {timeout} s:\n{proxy.log()}") from None
            time.sleep(0.05)


@contextmanager
def instances_behind_nginx(
    database_url: str, folder: Path, **settings: str
) -> Iterator[tuple[list[Server], Nginx]]:
    """Two `prisoners-api serve` instances on `database_url` (migrated already), with the public base
    URL and the rate limit off, plus `settings` (environment variables), and nginx in front of both."""
    with ExitStack() as stack:
        instances = []
        for name in ("a", "b"):
            env = clean_environment(
                DATABASE_URL=database_url,
                PRISONERS_API_AUTO_MIGRATE="false",
                PRISONERS_API_PUBLIC_BASE_URL=PUBLIC_BASE_URL,
                PRISONERS_API_RATE_LIMIT="",
                PRISONERS_API_PORT=str(free_port()),
                **settings,
            )
            instances.append(
                stack.enter_context(running([CLI, "serve"], env, folder, folder / f"{name}.log"))
            )
        upstreams = [server.base_url.removeprefix("http://") for server in instances]
        yield instances, stack.enter_context(nginx_in_front(upstreams, folder / "nginx", free_port()))
