"""The helper of ``benchmarks/bench_bank_coverage.py``: which bank voices are a speaker's, and which the look-up takes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_bank_coverage.py"
_spec = importlib.util.spec_from_file_location("bench_bank_coverage", _PATH)
bbc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bbc)


def unit(v):
    v = np.asarray(v, float)
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def test_a_voice_that_sounds_like_the_reference_but_is_nearer_another_speaker_is_a_miss():
    targets = unit(np.eye(3))                          # three speakers' held-out means
    bank = unit([[1, 0.2, 0], [0.9, 0, 0.1],           # two voices that are speaker 0's
                 [0.6, 0.8, 0], [0.5, 0.85, 0.1]])     # two nearer speaker 1, leaning toward speaker 0
    # speaker 0's reference leans toward speaker 1, so its two nearest bank voices are speaker 1's
    refs = unit([[0.55, 0.83, 0.05], [0, 1, 0], [0, 0, 1]])
    r = bbc.coverage(bank, targets, refs, k=2)
    assert r[0]["voices_top1"] == 2 and r[0]["nearest_top1"] == 0 and r[0]["nearest_margin"] < 0
    assert r[0]["best_own"] > r[0]["nearest_own"] and r[0]["nearest_rival"] == 1
    assert r[1]["voices_top1"] == 2 and r[1]["nearest_top1"] == 2
    assert r[2]["voices_top1"] == 0


def test_own_and_rival_names_the_nearest_other_speaker():
    sims = np.array([[0.9, 0.7, 0.8],    # speaker 0's by 0.1, speaker 2 the rival
                     [0.6, 0.75, 0.7]])  # speaker 1's voice: for speaker 0 a miss by 0.15
    own, margin, rival = bbc.own_and_rival(sims, 0)
    assert np.allclose(own, [0.9, 0.6]) and np.allclose(margin, [0.1, -0.15]) and list(rival) == [2, 1]
    assert sims[0, 0] == 0.9  # the scores themselves are left alone
