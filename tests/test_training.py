"""The training scripts that make the voice bank (``training/make_voice_data.py``, ``training/extend_voice_bank.py``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
WEIGHTS = REPO / "toolkit" / "clone" / "data" / "voice_encoder.npz"


@pytest.mark.slow
def test_new_voices_join_the_bank_and_the_direct_map_stays(tmp_path):
    data = tmp_path / "voices"
    run = [sys.executable, str(REPO / "training" / "make_voice_data.py"), "--out", str(data), "--n", "3",
           "--batch", "3", "--seed", "7", "--threads", "1", "--max-step", "1.8", "--extrapolate", "0.6"]
    subprocess.run(run, check=True, cwd=REPO, capture_output=True, timeout=300)
    meta = json.loads((data / "meta.json").read_text())
    assert (meta["max_step"], meta["extrapolate"]) == (1.8, 0.6)
    out = tmp_path / "encoder.npz"
    subprocess.run([sys.executable, str(REPO / "training" / "extend_voice_bank.py"), "--bank-data", str(data),
                    "--weights", str(WEIGHTS), "--out", str(out)], check=True, cwd=REPO, capture_output=True, timeout=120)

    from toolkit.clone.learned import VoiceEncoderModel

    before, after = VoiceEncoderModel(WEIGHTS), VoiceEncoderModel(out)
    added = len(after.bank_styles) - len(before.bank_styles)
    assert added == 3
    assert after.info["bank_voices"] == len(after.bank_styles)
    assert after.info["bank_extensions"][-1] == {"voices": 3, "seed": 7, "max_step": 1.8, "extrapolate": 0.6}
    np.testing.assert_array_equal(after.bank_styles[:-3], before.bank_styles)
    for (W0, b0), (W1, b1) in zip(before.layers, after.layers):  # the direct map is untouched
        np.testing.assert_array_equal(W0, W1)
        np.testing.assert_array_equal(b0, b1)
    # a new voice is found by its own speech's embedding
    z = np.load(data / "batch_0000.npz")
    e = z["embedding"][0] / np.linalg.norm(z["embedding"][0])
    np.testing.assert_allclose(after.neighbours(e, k=1), z["style"][0], atol=2e-2 * np.abs(z["style"][0]).max())
