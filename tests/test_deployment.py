"""Deployment, run for real: the image's commands on the host, and two instances sharing one PostgreSQL.

These tests start processes and build wheels; each takes seconds to a minute.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from contextlib import ExitStack
from pathlib import Path

import pytest

from api import migrate
from api.paths import DATASET_DIR, MIGRATIONS_DIR
from tests.utils.databases import fresh_database, require_engine
from tests.utils.dockerfile import ROOT, exec_form, stages
from tests.utils.releases import BUNDLED_RELEASE, NEW_RELEASE, add_later_release
from tests.utils.servers import CLI, Server, clean_environment, free_port, running

SAME_EVERYWHERE = [
    "/v1",
    "/v1/releases",
    "/v1/releases/latest",
    "/v1/stats/summary",
    "/v1/stats/summary?format=csv",
    "/v1/stats/in-custody?by=gender",
    "/v1/stats/breakdown?by=region&gender=female",
    "/v1/stats/flows",
    "/v1/stats/sentences",
    "/v1/figures",
]


# --- the Dockerfile's runtime stage, on the host -------------------------------------------------


def _files(folder: Path) -> dict[str, float]:
    return {str(path): path.stat().st_mtime for path in folder.rglob("*")}


def _run(command: str, cwd: Path, env: dict[str, str]) -> None:
    result = subprocess.run(["sh", "-ec", command], cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"


@pytest.mark.slow
def test_runtime_stage_commands_serve_the_bundled_dataset(tmp_path: Path) -> None:
    """Build the wheels as stage `build` does, install them as stage `runtime` does, start its CMD.

    Container paths map to temporary folders; the port and listening address are the only settings
    changed (a free port on 127.0.0.1). pip's cache is reused, so this takes about a minute at most.
    """
    build, runtime = stages()
    context, wheels, venv, data = (tmp_path / name for name in ("context", "wheels", "venv", "data"))
    context.mkdir()
    data.mkdir()
    for source in build.copy_sources():
        origin, target = ROOT / source.rstrip("/"), context / source.rstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if origin.is_dir():
            shutil.copytree(origin, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(origin, target)

    container_paths = {
        runtime.env()["VIRTUAL_ENV"]: str(venv),
        runtime.env()["PRISONERS_API_DATA_DIR"]: str(data),
        runtime.args()["WHEELS"]: str(wheels),
    }
    host = clean_environment()
    host["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{host['PATH']}"  # `python`, `pip`: 3.11
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"):
        host.pop(name, None)

    def translated(value: str) -> str:
        for container, on_host in container_paths.items():
            value = value.replace(container, on_host)
        return value.replace("$PATH", host["PATH"])

    def environment(stage_env: dict[str, str]) -> dict[str, str]:
        return host | {"WHEELS": str(wheels)} | {name: translated(value) for name, value in stage_env.items()}

    started = time.monotonic()
    for command, env in build.run_steps():
        _run(command, context, environment(env))
    installs = [(command, env) for command, env in runtime.run_steps() if "useradd" not in command]
    assert len(installs) == 1, "one RUN installs the service; the other only adds its user"
    _run(installs[0][0], data, environment(installs[0][1]))
    installed = time.monotonic() - started
    runtime_env = environment(runtime.env())
    (service_wheel,) = wheels.glob("prisoners_api-*.whl")
    with zipfile.ZipFile(service_wheel) as archive:
        names = archive.namelist()
    assert any(name.endswith("releases/demo-2026-03/answers.csv") for name in names), "no publication"
    assert not [n for n in names if n.endswith(("cases.csv", "suppression.json")) or "/dataset/demo/" in n]

    assert not (venv / "bin" / "pip").exists(), "no pip (nor any build tool) in the runtime environment"
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import api.paths; print(api.paths.DATASET_DIR)"],
        cwd=data,
        env=runtime_env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv), (
        "the service runs from the wheel, not the checkout"
    )
    assert not list(venv.rglob("site-packages/tests/test_*.py"))

    port = free_port()
    serve_env = runtime_env | {"PRISONERS_API_HOST": "127.0.0.1", "PRISONERS_API_PORT": str(port)}
    before = _files(venv)
    (command,) = runtime.values("CMD")
    with running(exec_form(command), serve_env, data, tmp_path / "serve.log") as server:
        ready = server.wait_until_answering("/readyz")
        assert ready.json() == {"status": "ready", "revision": migrate.head_revision()}
        summary = server.get("/v1/stats/summary")
        assert summary.status_code == 200
        assert summary.json()["meta"]["release"] == BUNDLED_RELEASE and summary.json()["meta"]["synthetic"]
        (healthcheck,) = runtime.values("HEALTHCHECK")
        probe = subprocess.run(
            exec_form(healthcheck), cwd=data, env=serve_env, capture_output=True, text=True
        )
        assert probe.returncode == 0, probe.stdout + probe.stderr
        status = server.terminate()
    assert status in (0, -15), server.log()
    assert _files(venv) == before, "serving wrote nothing outside the data directory (read-only root)"
    assert [path.name for path in data.iterdir()] == ["prisoners.sqlite3"]
    assert any(record.get("event") == "request" for record in server.log_records())
    print(f"wheels built and installed in {installed:.1f} s")


# --- two instances, one PostgreSQL, a release published while they run ----------------------------


def _migrations_with_new_release(folder: Path) -> str:
    shutil.copytree(MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    revision = "test_release_demo_2026_06"
    (folder / "versions" / f"{revision}.py").write_text(
        f'''"""data: release {NEW_RELEASE} (written by tests/test_deployment.py)"""

from alembic import op

from api.dataset import loader
from api.migrate import migration_dataset_dir

revision = "{revision}"
down_revision = "{migrate.head_revision()}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    loader.load_release(op.get_bind(), migration_dataset_dir(), "{NEW_RELEASE}")


def downgrade() -> None:
    loader.unload_release(op.get_bind(), "{NEW_RELEASE}")
''',
        encoding="utf-8",
    )
    return revision


def _migrate(env: dict[str, str]) -> str:
    result = subprocess.run([CLI, "migrate"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def _answers(server: Server) -> dict[str, tuple[int, str | None, bytes]]:
    answers = {}
    for path in SAME_EVERYWHERE:
        response = server.get(path)
        answers[path] = (response.status_code, response.headers.get("etag"), response.content)
    return answers


def _wait_for_release(server: Server, release: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while True:
        listed = server.get("/v1/releases").json()["meta"]["latest"]
        summary = server.get("/v1/stats/summary").json()["meta"]["release"]
        if listed == release and summary == release:
            return
        assert time.monotonic() < deadline, f"{server.base_url} still serves {listed}, {summary}"
        time.sleep(0.25)


@pytest.mark.slow
def test_two_instances_answer_alike_and_both_see_a_new_release_without_restart(tmp_path: Path) -> None:
    require_engine("postgresql")
    with fresh_database("postgresql", tmp_path) as url, ExitStack() as stack:
        shared = clean_environment(
            DATABASE_URL=url, PRISONERS_API_AUTO_MIGRATE="false", PRISONERS_API_RELEASE_CHECK_SECONDS="1"
        )
        assert _migrate(shared) == f"database at {migrate.head_revision()}"
        servers = []
        for name in ("a", "b"):
            env = shared | {"PRISONERS_API_PORT": str(free_port())}
            servers.append(
                stack.enter_context(running([CLI, "serve"], env, tmp_path, tmp_path / f"{name}.log"))
            )
        first, second = servers
        for server in servers:
            server.wait_until_answering("/readyz")

        before = _answers(first)
        assert all(status == 200 and etag for status, etag, _ in before.values()), before
        assert _answers(second) == before
        pinned = first.get(f"/v1/stats/summary?release={BUNDLED_RELEASE}")

        # The rollout's migration job: the next build's dataset and migrations; the instances keep running.
        dataset = tmp_path / "dataset"
        shutil.copytree(DATASET_DIR, dataset, ignore=shutil.ignore_patterns("__pycache__"))
        add_later_release(dataset, tmp_path / "private")
        revision = _migrations_with_new_release(tmp_path / "migrations")
        job = shared | {
            "PRISONERS_API_DATASET_DIR": str(dataset),
            "PRISONERS_API_MIGRATIONS_DIR": str(tmp_path / "migrations"),
        }
        assert _migrate(job) == f"database at {revision}"

        for server in servers:
            _wait_for_release(server, NEW_RELEASE)
            assert server.get("/readyz").json() == {"status": "ready", "revision": revision}
            assert server.process.poll() is None, "published without a restart"
        after = _answers(first)
        assert _answers(second) == after
        assert after["/v1/stats/summary"] != before["/v1/stats/summary"]
        listed = [release["id"] for release in first.get("/v1/releases").json()["data"]]
        assert listed == [BUNDLED_RELEASE, NEW_RELEASE]
        for server in servers:
            again = server.get(f"/v1/stats/summary?release={BUNDLED_RELEASE}")
            assert (again.content, again.headers["etag"]) == (pinned.content, pinned.headers["etag"])
