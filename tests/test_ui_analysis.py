"""Spectrogram and prosody explorers: build the panel, move a control, check the view updated and how fast.

The issue's budget is half a second per update on the 2-core lab machine; the
measured times are printed (run with ``-s`` to see them).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from toolkit.audio import Clip, load  # noqa: E402
from toolkit.ui.prosody_explorer import ProsodyExplorer  # noqa: E402
from toolkit.ui.spectrogram_explorer import SpectrogramExplorer  # noqa: E402

from .signals import SR, pulse_vowel  # noqa: E402

BUDGET_S = 0.5


@pytest.fixture(scope="module")
def speech(english_refs):
    r = next(r for r in english_refs if r["file"].startswith("vctk_p228"))
    y, sr = load(r["path"], sr=SR)
    return Clip(y[: 4 * SR], SR, name="p228", source="file")


def timed_updates(panel, control, values):
    """Set ``control`` to each value; return the wall and CPU times of the updates (s)."""
    wall, cpu = [], []
    for v in values:
        n = panel.n_updates
        control.value = v
        assert panel.n_updates == n + 1
        wall.append(round(panel.last_update_s, 3))
        cpu.append(round(panel.last_update_cpu_s, 3))
    return wall, cpu


def check_budget(name, wall, cpu):
    """The machine is shared with other jobs: the CPU time is what an update costs; the fastest wall time shows
    that an update fits in the budget when the machine is not crowded."""
    print(f"{name}: wall {wall} s, cpu {cpu} s (median wall {np.median(wall):.3f}, median cpu {np.median(cpu):.3f})")
    assert np.median(cpu) < BUDGET_S
    assert min(wall) < BUDGET_S


def test_spectrogram_explorer_updates(speech):
    ex = SpectrogramExplorer(speech)
    jpeg0, shapes0 = ex.last_jpeg, ex.last_shapes
    assert jpeg0.startswith(b"\xff\xd8") and len(jpeg0) < 150_000 and shapes0["mel"][0] == 80
    w1, c1 = timed_updates(ex, ex.n_mels, [40, 64, 24])
    assert ex.last_shapes["mel"][0] == 24 and ex.last_jpeg != jpeg0
    w2, c2 = timed_updates(ex, ex.hop_ms, [20, 5])
    assert ex.last_shapes["mel"][1] > shapes0["mel"][1]  # 5 ms hop: twice the frames of 10 ms
    w3, c3 = timed_updates(ex, ex.window_ms, [64, 10])
    assert ex.last_shapes["stft"][0] == 256 // 2 + 1  # 10 ms = 160 samples → n_fft 256
    check_budget("spectrogram explorer", w1 + w2 + w3, c1 + c2 + c3)


def test_spectrogram_explorer_griffin_lim(speech):
    ex = SpectrogramExplorer(speech)
    y = ex.resynthesise()
    assert y is not None and len(y) == len(ex.clip.y)
    assert bytes(ex.players[1].value).startswith(b"RIFF")


def test_spectrogram_explorer_new_clip():
    ex = SpectrogramExplorer(Clip(pulse_vowel(dur_s=0.5), SR, name="a"))
    n = ex.n_updates
    ex.set_clip(Clip(pulse_vowel(dur_s=1.0, sr=24000), 24000, name="b"))
    assert ex.n_updates == n + 1 and ex.clip.sr == SR and abs(ex.clip.duration_s - 1.0) < 0.01


def test_prosody_explorer_updates(speech):
    ex = ProsodyExplorer(speech)
    base = np.nanmedian(ex.result.f0_hz)
    w1, c1 = timed_updates(ex, ex.pitch_shift, [3.0, 6.0, 12.0])
    assert abs(np.nanmedian(ex.result.f0_hz) / base - 2.0) < 0.05  # +12 semitones: one octave
    w2, c2 = timed_updates(ex, ex.tempo, [1.5, 0.8])
    assert abs(ex.result.duration_s - speech.duration_s / 0.8) < 0.05
    w3, c3 = timed_updates(ex, ex.range_scale, [0.0, 2.0])
    check_budget("prosody explorer", w1 + w2 + w3, c1 + c2 + c3)


def test_prosody_explorer_flatten_and_reset(speech):
    ex = ProsodyExplorer(speech)
    ex.range_scale.value = 0.0
    f0 = ex.result.f0_hz[np.isfinite(ex.result.f0_hz)]
    assert 12 * np.log2(f0.max() / f0.min()) < 0.5
    n = ex.n_updates
    ex.set_values()  # reset: one redraw
    assert ex.n_updates == n + 1 and ex.range_scale.value == 1.0
    assert bytes(ex.players[1].value).startswith(b"RIFF")


def test_prosody_explorer_shows_errors_for_a_too_short_clip():
    ex = ProsodyExplorer(Clip(np.zeros(100, np.float32), SR, name="blip"))
    assert ex.analysis is None and "at least 50 ms" in ex.status.value
