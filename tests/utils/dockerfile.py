"""The Dockerfile as the tests read it: stages, their instructions, ENV values and RUN commands."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from dockerfile_parse import DockerfileParser

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
_RUN_FLAGS = re.compile(r"^(?:--\S+\s+)+")


@dataclass
class Stage:
    image: str
    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def values(self, instruction: str) -> list[str]:
        return [value for name, value in self.instructions if name == instruction]

    def env(self, before: int | None = None) -> dict[str, str]:
        """ENV of this stage (of its first `before` instructions), unexpanded: `$PATH` stays as written."""
        pairs: dict[str, str] = {}
        for name, value in self.instructions[:before]:
            if name == "ENV":
                pairs |= dict(item.partition("=")[::2] for item in shlex.split(value))
        return pairs

    def run_steps(self) -> list[tuple[str, dict[str, str]]]:
        """Each RUN's shell command (without its flags) and the ENV in force when it runs."""
        return [
            (_RUN_FLAGS.sub("", value), self.env(before=index))
            for index, (name, value) in enumerate(self.instructions)
            if name == "RUN"
        ]

    def args(self) -> dict[str, str]:
        return dict(value.partition("=")[::2] for value in self.values("ARG"))

    def run_flags(self) -> list[list[str]]:
        """The flags (`--mount=...`) of each RUN."""
        return [
            shlex.split(match.group(0)) if (match := _RUN_FLAGS.match(v)) else [] for v in self.values("RUN")
        ]

    def run_commands(self) -> list[str]:
        """Each RUN's shell command, without its flags."""
        return [_RUN_FLAGS.sub("", value) for value in self.values("RUN")]

    def copy_sources(self) -> list[str]:
        sources: list[str] = []
        for value in self.values("COPY"):
            words = [word for word in shlex.split(value) if not word.startswith("--")]
            sources.extend(words[:-1])
        return sources


def stages(path: Path = DOCKERFILE) -> list[Stage]:
    parsed: list[Stage] = []
    for item in DockerfileParser(str(path)).structure:
        instruction, value = item["instruction"], item["value"]
        if instruction == "FROM":
            image, _, name = value.partition(" AS ")
            parsed.append(Stage(image.strip(), name.strip()))
        elif instruction != "COMMENT":
            parsed[-1].instructions.append((instruction, value))
    return parsed


def exec_form(value: str) -> list[str]:
    """A CMD or HEALTHCHECK CMD in exec (JSON) form; fails on shell form."""
    words = json.loads(value.split("CMD", 1)[1] if value.startswith("--") else value)
    assert isinstance(words, list) and all(isinstance(word, str) for word in words)
    return words
