"""``book/build.py`` as a module for the tests (the book folder is not a package): one import per test process."""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path

BUILD_SCRIPT = Path(__file__).resolve().parent.parent / "book" / "build.py"


@lru_cache(maxsize=1)
def book_build():
    spec = importlib.util.spec_from_file_location("vcl_book_build", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=None)
def executed_path(name: str) -> Path:
    """``build/executed/NAME``: the notebook executed from the learner's copy, once per test process.

    The notebook tests and the book test share it, so a CI run executes each notebook once. While working on the
    book or the tests, ``VOICE_LAB_REUSE_EXECUTED=1`` keeps executed copies newer than their notebook (never in CI:
    a change to the toolkit alone would go unexecuted).
    """
    return book_build().execute(name, reuse=os.environ.get("VOICE_LAB_REUSE_EXECUTED") == "1")
