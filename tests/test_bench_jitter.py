"""``benchmarks/bench_clone.py --jitter``: the inaudible noise is at the level it claims, and the spread of the
scores over runs is read against the unjittered fit."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT))
_spec = importlib.util.spec_from_file_location("bench_clone", _ROOT / "benchmarks" / "bench_clone.py")
bc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bc)


def test_jittered_adds_noise_at_the_level_asked_and_depends_on_the_seed():
    y = np.random.default_rng(0).standard_normal(16000).astype(np.float32) * 0.1
    for level in (-60.0, -40.0):
        d = bc.jittered(y, seed=1, level_db=level) - y
        assert 10 * np.log10(np.mean(d ** 2) / np.mean(y ** 2)) == pytest.approx(level, abs=0.2)
    assert not np.array_equal(bc.jittered(y, seed=1), bc.jittered(y, seed=2))
    assert np.array_equal(bc.jittered(y, seed=3), bc.jittered(y, seed=3))


def test_the_spread_is_read_against_the_unjittered_fit():
    def row(sim, top1, jit):
        return {"configs": {"refined+shaped": {"similarity": sim, "top1": top1}},
                "jitter": [{"seed": k + 1, "similarity": v, "top1": t, "speed": 1.0} for k, (v, t) in enumerate(jit)]}

    results = {"a": row(0.80, True, [(0.70, False), (0.80, True)]), "b": row(0.60, False, [(0.62, True), (0.60, False)])}
    j = bc.summarise_jitter(results, ["a", "b"])
    assert j["runs"] == 3 and j["mean_per_run"] == pytest.approx([0.70, 0.66, 0.70])
    assert j["top1_per_run"] == pytest.approx([0.5, 0.5, 0.5])
    assert j["per_speaker_range"] == pytest.approx([0.10, 0.02])
    assert j["mean_abs_change"] == pytest.approx((0.10 + 0.0 + 0.02 + 0.0) / 4)
    assert j["mean"] == pytest.approx(np.mean([0.80, 0.70, 0.80, 0.60, 0.62, 0.60]))
