"""The degraded-reference table of ``benchmarks/bench_clone.py``: means, the gap to the clean clones, and the
steadier reading over several texts (``--more-texts``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT))
_spec = importlib.util.spec_from_file_location("bench_clone", _ROOT / "benchmarks" / "bench_clone.py")
bc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bc)


def trial(sim, top1, steady=None):
    t = {"similarity": sim, "top1": top1, "sph": 1.0, "cleaned_reference_similarity": 0.8, "clean_s": 0.1}
    if steady is not None:
        t["steady"] = {"texts": 4, "similarity": steady[0], "top1": steady[1]}
    return t


def speaker(clean, noise, steady_clean=None, steady_noise=None):
    deg = {d: {"auto_steps": [], "auto_reason": "", "reference_similarity": 0.8, "trials": {}} for d in bc.TRIALS}
    deg["clean"]["trials"]["off"] = trial(clean, True, steady_clean)
    deg["noise"]["auto_steps"] = ["denoise"]
    deg["noise"]["trials"]["auto"] = trial(noise, False, steady_noise)
    return deg


def test_the_gap_is_read_against_the_same_speakers_clean_clones():
    per = {"a": speaker(0.80, 0.70), "b": speaker(0.60, 0.62)}
    m = bc.summarise_degraded(per)
    assert m["_speakers"] == ["a", "b"]
    row = m["noise"]["auto"]
    assert row["similarity"] == pytest.approx(0.66) and row["vs_clean"] == pytest.approx(-0.04)
    assert row["top1"] == 0 and row["chose"] == {"a": ["denoise"], "b": ["denoise"]}
    assert "steady" not in row  # one text per clone: no steadier reading to report


def test_the_steadier_reading_averages_each_voices_texts_and_reaches_the_markdown():
    per = {"a": speaker(0.80, 0.70, (0.78, True), (0.75, True)),
           "b": speaker(0.60, 0.62, (0.64, True), (0.61, False))}
    m = bc.summarise_degraded(per)
    st = m["noise"]["auto"]["steady"]
    assert st["texts"] == 4 and st["similarity"] == pytest.approx(0.68)
    assert st["vs_clean"] == pytest.approx(-0.03) and st["top1"] == pytest.approx(0.5)
    out = {"speakers": m.pop("_speakers"), "clean_auto_chose": m.pop("_clean_auto_chose"), "summary": m,
           "refine_steps": 3, "machine": {"date": "2026-12-04", "load_avg_at_end": [1, 1, 1], "wall_s": 60}}
    md = bc.degraded_markdown(out)
    assert "noise auto 0.680 (-0.030, top-1 50%)" in md and "clean off 0.710 (+0.000, top-1 100%)" in md


def test_another_draw_changes_the_noise_and_room_and_draw_0_is_the_documented_one():
    import numpy as np

    y = (np.random.default_rng(0).standard_normal(16000) * 0.1).astype(np.float32)
    first = bc.degrade(y, sr=16000, snr_db=10.0, rt60_s=0.5, seed=3)
    assert np.array_equal(bc.degrade(y, sr=16000, snr_db=10.0, rt60_s=0.5, seed=3, draw=0), first)
    other = bc.degrade(y, sr=16000, snr_db=10.0, rt60_s=0.5, seed=3, draw=1)
    assert other.shape == first.shape and not np.allclose(other, first)
    for draw, z in ((0, first), (1, other)):  # the same condition either way: noise 10 dB below the reverberant speech
        room = bc.degrade(y, sr=16000, rt60_s=0.5, seed=3, draw=draw)
        assert 10 * np.log10(np.mean(room ** 2) / np.mean((z - room) ** 2)) == pytest.approx(10.0, abs=0.5)
