"""`python -m api.healthcheck`: exit 0 when this machine's `serve` answers /healthz, else 1.

The container's HEALTHCHECK runs it, so the runtime image needs no curl or wget.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

from api.settings import SettingsError, load_settings

TIMEOUT_SECONDS = 3.0
_WILDCARDS = {"0.0.0.0", "::", ""}  # noqa: S104  (addresses to listen on, not to connect to)


def healthz_url(host: str, port: int) -> str:
    """Where `serve`, listening on host:port, answers /healthz from this machine."""
    if host in _WILDCARDS:
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/healthz"


def check(url: str, timeout: float = TIMEOUT_SECONDS) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310  (an http URL we built)
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def main() -> int:
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 1
    url = healthz_url(settings.host, settings.port)
    healthy = check(url)
    print(f"{url}: {'ok' if healthy else 'not answering'}")
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
