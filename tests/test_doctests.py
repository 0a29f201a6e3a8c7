"""Every docstring example in ``toolkit/`` runs, as a learner would copy it.

Each module's examples are collected with :mod:`doctest` and run in a fresh namespace (the module's
globals, as ``python -m doctest`` gives them). Examples that need the bundled models or the real speech
set say ``# doctest: +SKIP``; everything else must print exactly what the docstring says.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import sys

import pytest

import toolkit

MODULES = sorted(m.name for m in pkgutil.walk_packages(toolkit.__path__, prefix="toolkit.")
                 if m.name != "toolkit.__main__")
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def test_the_modules_are_found():
    assert {"toolkit.audio", "toolkit.clone.pipeline", "toolkit.analysis.loudness", "toolkit.defaults"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, tmp_path, monkeypatch):
    monkeypatch.setenv("VOICE_LAB_CACHE", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    module = importlib.import_module(name)
    tests = [t for t in doctest.DocTestFinder(exclude_empty=True).find(module, name) if t.examples]
    if not tests:
        pytest.skip(f"{name} has no docstring examples")
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report = []
    for t in tests:
        runner.run(t, out=report.append)
    result = runner.summarize(verbose=False)
    if "matplotlib.pyplot" in sys.modules:  # examples that plot leave their figures open
        sys.modules["matplotlib.pyplot"].close("all")
    assert result.failed == 0, "".join(report)
