"""The helpers of ``benchmarks/bench_pace_estimators.py`` (issue 17: a syllable rate from pocketsphinx)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_pace_estimators.py"
_spec = importlib.util.spec_from_file_location("bench_pace_estimators", _PATH)
bpe = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bpe)


def test_pronunciation_syllables_are_its_vowels():
    assert bpe.syllables_of_pronunciation("IH M IY D IY AH T") == 4   # immediate
    assert bpe.syllables_of_pronunciation("S T R EH NG K TH S") == 1  # strengths
    assert bpe.syllables_of_pronunciation("AH0 B AW1 T") == 2         # stress marks ignored


def test_text_syllables_from_the_bundled_dictionary():
    pytest.importorskip("pocketsphinx")
    assert bpe.text_syllables("There may be a specific feeling") == 9
    assert bpe.text_syllables("especially, memory!") == 6  # the dictionary says es-pe-cial-ly in 3 (AH S P EH SH L IY)
    assert bpe.text_syllables("zzxqvword") >= 1  # not in the dictionary: vowel groups, at least one


def test_gate_takes_recognition_only_when_it_finds_at_least_the_nuclei():
    assert bpe.gated_rate(30, 27, 6.0, detector_share=0.9) == pytest.approx(5.0)
    assert bpe.gated_rate(26, 27, 6.0, detector_share=0.9) == pytest.approx(27 / 0.9 / 6.0)
    assert np.isnan(bpe.gated_rate(3, 2, 0.0, detector_share=0.9))


def test_recognition_runs_and_unknown_modes_are_refused():
    pytest.importorskip("pocketsphinx")
    n, cpu = bpe.recognised_syllables(np.zeros(16000, np.float32))
    assert 0 <= n <= 2 and cpu >= 0  # pocketsphinx may hallucinate a short word in digital silence (it found one)
    with pytest.raises(ValueError):
        bpe.decoder("phones")
