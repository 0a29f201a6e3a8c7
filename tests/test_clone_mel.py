"""The voice fit's spectral measures in numpy: the same numbers as librosa's, and a fit that never loads librosa.

``toolkit.clone.shape`` measures a clip's long-term mel spectrum (for the envelope equaliser) with the lab's
numpy mel (``toolkit.analysis.spectrum``), so fitting a new voice in the app's kernel does not pull in
librosa and numba. librosa is imported here only, as the reference.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from toolkit.audio import resample
from toolkit.clone import shape
from toolkit.defaults import ANALYSIS_SR_HZ, HOP_LENGTH, N_FFT, WIN_LENGTH
from toolkit.media import example

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _librosa_ltas_db(y, sr):
    """What ``long_term_spectrum_mel_db`` computed with librosa before (the reference)."""
    librosa = pytest.importorskip("librosa")
    y16 = resample(y, sr=sr, target_sr=ANALYSIS_SR_HZ)
    M = librosa.feature.melspectrogram(y=y16, sr=ANALYSIS_SR_HZ, n_fft=N_FFT, hop_length=HOP_LENGTH,
                                       win_length=WIN_LENGTH, n_mels=shape.N_EQ_BANDS, fmin=60.0, fmax=7600.0,
                                       power=2.0)
    db = 10 * np.log10(M + 1e-10)
    e = db.max(axis=0)
    return db[:, e > e.max() - 35.0].mean(axis=1)


def test_mel_centres_are_librosas():
    librosa = pytest.importorskip("librosa")
    want = librosa.mel_frequencies(shape.N_EQ_BANDS + 2, fmin=60.0, fmax=7600.0)[1:-1]
    np.testing.assert_allclose(shape._mel_centres_hz(), want, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("key, sr", [("ref_good", None), ("ref_good", 48000), ("vowel_a_150", None)])
def test_long_term_spectrum_is_librosas(key, sr):
    clip = example(key)
    y, rate = clip.y, clip.sr
    if sr:  # a 48 kHz upload goes through the resampler first, as in the app
        y, rate = resample(y, sr=rate, target_sr=sr), sr
    got = shape.long_term_spectrum_mel_db(y, sr=rate)
    want = _librosa_ltas_db(y, rate)
    assert got.shape == (shape.N_EQ_BANDS,)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-3)  # dB; measured differences are below 2e-4 dB


@pytest.mark.slow
def test_fitting_a_new_voice_loads_no_librosa_numba_or_torch(tmp_path):
    """A whole clone with a voice fitted now (empty cache), as the app runs it, in a fresh process."""
    code = ("import sys\nfrom toolkit.ui.clone_flow import CloneFlow\nfrom toolkit.media import example\n"
            "res = CloneFlow().run(example('ref_good'), text='The boats came home late in the evening.')\nimport json\n"
            "print(json.dumps({'fitted_now': res.fitted_now, 'heavy': "
            "[m for m in ('librosa', 'numba', 'torch') if m in sys.modules]}))")
    env = {**os.environ, "VOICE_LAB_CACHE": str(tmp_path), "PYTHONPATH": REPO, "PYTHONWARNINGS": "ignore"}
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out == {"fitted_now": True, "heavy": []}, out
