"""requirements.lock: every dependency of the image pinned with hashes, and compiled from pyproject.toml.

The image installs the lock's versions only (the build stage fetches them with `--require-hashes`), so
the lock must say what pyproject.toml asks for: every direct dependency pinned to a version its range
admits, and no direct dependency the project no longer has. Regenerate it with the command at its top.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.utils.dockerfile import ROOT, stages

LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


@dataclass
class Pin:
    version: Version
    hashes: list[str] = field(default_factory=list)
    via: set[str] = field(default_factory=set)


def _pins() -> dict[str, Pin]:
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = pins[canonicalize_name(match[1])] = Pin(Version(match[2]))
        elif current is not None and (digests := HASH.findall(line)):
            current.hashes += digests
        elif current is not None and line.startswith("    #"):  # "# via a", or "# via" then "#   a"
            current.via.add(line.strip().lstrip("#").strip().removeprefix("via").strip())
    return pins


def _direct() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = (Requirement(text) for text in project["dependencies"])
    return {canonicalize_name(requirement.name): requirement for requirement in requirements}


def test_every_direct_dependency_is_pinned_within_its_range() -> None:
    pins = _pins()
    for name, requirement in _direct().items():
        assert name in pins, f"{name} is in pyproject.toml but not in requirements.lock"
        assert requirement.specifier.contains(pins[name].version), f"{name}=={pins[name].version}"


def test_the_lock_was_compiled_from_these_dependencies() -> None:
    compiled_for = {name for name, pin in _pins().items() if "prisoners-api (pyproject.toml)" in pin.via}
    assert compiled_for, "no pin says `via prisoners-api (pyproject.toml)`: regenerate requirements.lock"
    assert compiled_for == set(_direct())


def test_every_pin_has_hashes() -> None:
    pins = _pins()
    assert len(pins) > len(_direct())  # the transitive ones too
    assert all(pin.hashes for pin in pins.values()), [name for name, pin in pins.items() if not pin.hashes]


def test_the_image_installs_the_locked_versions_with_their_hashes() -> None:
    build = stages()[0]
    commands = " ".join(build.run_commands())
    assert "--require-hashes --requirement requirements.lock" in commands
    assert "--no-deps ." in commands  # the service's own wheel, its dependencies from the lock only
