"""How many generated examples a property tries: more where the whole suite runs (scripts/check, as CI
does, sets PRISONERS_TESTS_THOROUGH=1), fewer in the everyday loop, which would spend much of its time
there."""

from __future__ import annotations

import os


def examples(everyday: int, thorough: int) -> int:
    return thorough if os.environ.get("PRISONERS_TESTS_THOROUGH") == "1" else everyday
