"""The Dockerfile and .dockerignore, read with dockerfile-parse: what a production image must be.

No container engine runs here; tests/test_deployment.py runs the runtime stage's commands on the host.
"""

from __future__ import annotations

import re
import tomllib

import pytest

from api.healthcheck import healthz_url
from api.settings import ENV_PREFIX, Settings, SettingsError, load_settings
from tests.utils.dockerfile import DOCKERIGNORE, ROOT, Stage, exec_form, stages

PINNED_IMAGE = re.compile(r"python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?")
BUILD_TOOLS = ("gcc", "g++", "make", "build-essential", "apt-get", "curl", "wget", "git")


@pytest.fixture(scope="module")
def build() -> Stage:
    return stages()[0]


@pytest.fixture(scope="module")
def runtime() -> Stage:
    return stages()[-1]


def test_two_stages_on_one_pinned_slim_base() -> None:
    parsed = stages()
    assert [stage.name for stage in parsed] == ["build", "runtime"]
    assert all(PINNED_IMAGE.fullmatch(stage.image) for stage in parsed), [s.image for s in parsed]
    assert len({stage.image for stage in parsed}) == 1


def test_build_stage_copies_what_the_wheel_bundles(build: Stage) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    needed = {"pyproject.toml", project["project"]["readme"], *wheel["packages"], *wheel["force-include"]}
    needed.add("requirements.lock")  # the dependencies' pinned versions and hashes (tests/test_lock.py)
    assert {source.rstrip("/") for source in build.copy_sources()} == needed


def test_runtime_stage_installs_only_the_built_wheels(runtime: Stage) -> None:
    assert runtime.values("COPY") == [], "the runtime copies nothing from the context (no tests, no sources)"
    commands = " ".join(runtime.run_commands())
    assert "--no-index" in commands and "--without-pip" in commands
    assert not [tool for tool in BUILD_TOOLS if re.search(rf"(^|\s){re.escape(tool)}(\s|$)", commands)]
    wheels = runtime.args()["WHEELS"]
    mounts = [flag for flags in runtime.run_flags() for flag in flags]
    assert f"--mount=type=bind,from=build,source={wheels},target={wheels}" in mounts


def test_runtime_runs_as_a_numeric_non_root_user(runtime: Stage) -> None:
    (user,) = runtime.values("USER")
    uid, _, gid = user.partition(":")
    assert uid.isdigit() and int(uid) > 0 and gid.isdigit() and int(gid) > 0


def test_runtime_environment_is_production_ready(runtime: Stage) -> None:
    env = runtime.env()
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert env["PATH"].startswith(env["VIRTUAL_ENV"] + "/bin:")
    assert "DATABASE_URL" not in env, "with no environment the image serves SQLite"
    assert env["PRISONERS_API_HOST"] == "0.0.0.0"


def test_every_setting_in_the_image_exists_and_is_valid(
    runtime: Stage, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = {name: value for name, value in runtime.env().items() if name.startswith(ENV_PREFIX)}
    known = {f"{ENV_PREFIX}{name.upper()}" for name in Settings.model_fields}
    assert set(settings) <= known
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    try:
        load_settings()
    except SettingsError as error:
        pytest.fail(str(error))


def test_proxy_headers_are_trusted_from_no_peer_by_default(runtime: Stage) -> None:
    # X-Forwarded-For picks the client the rate limit counts: trusting a whole private network lets any
    # peer on it speak for anyone. The operator names their proxy (docs/DEPLOYMENT.md).
    assert runtime.env()["PRISONERS_API_FORWARDED_ALLOW_IPS"] == ""


def test_the_only_writable_path_is_the_data_volume(runtime: Stage) -> None:
    data_dir = runtime.env()["PRISONERS_API_DATA_DIR"]
    assert data_dir.startswith("/") and runtime.values("VOLUME") == [f'["{data_dir}"]']
    assert runtime.values("WORKDIR") == [data_dir]


def test_healthcheck_asks_healthz_with_python(runtime: Stage) -> None:
    (healthcheck,) = runtime.values("HEALTHCHECK")
    assert exec_form(healthcheck) == ["python", "-m", "api.healthcheck"]
    env = runtime.env()
    url = healthz_url(env["PRISONERS_API_HOST"], int(env["PRISONERS_API_PORT"]))
    assert url == f"http://127.0.0.1:{env['PRISONERS_API_PORT']}/healthz"
    assert runtime.values("EXPOSE") == [env["PRISONERS_API_PORT"]]


def test_command_is_serve_in_exec_form(runtime: Stage) -> None:
    (command,) = runtime.values("CMD")
    assert exec_form(command) == ["prisoners-api", "serve"], "exec form: SIGTERM reaches uvicorn directly"


def test_dockerignore_admits_exactly_what_the_build_copies(build: Stage) -> None:
    lines = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*", ".dockerignore is an allow-list"
    admitted = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    assert admitted == {source.rstrip("/") for source in build.copy_sources()}
    assert {"**/__pycache__", "**/*.pyc"} <= set(lines)


RECORD_LEVEL = {"cases.csv", "suppression.json"}


def test_no_record_level_file_can_reach_the_wheel_the_sdist_or_the_image(build: Stage) -> None:
    """What the wheel bundles and the image copies holds no record-level file (the demonstration's
    generated records included), and the sdist excludes them."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    targets = project["tool"]["hatch"]["build"]["targets"]
    packaged = {*targets["wheel"]["force-include"], *(s.rstrip("/") for s in build.copy_sources())}
    assert "dataset" not in packaged and not any(path.startswith("dataset/demo") for path in packaged)
    files = [
        p
        for path in packaged
        for p in ([ROOT / path] if (ROOT / path).is_file() else (ROOT / path).rglob("*"))
    ]
    assert files and not [p for p in files if p.name in RECORD_LEVEL]
    assert {"dataset/demo", *RECORD_LEVEL} <= set(targets["sdist"]["exclude"])
