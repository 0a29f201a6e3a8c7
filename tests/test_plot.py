"""toolkit.plot: the plot_* contract (ax=None makes a figure, a given ax is used, what was drawn is returned)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from toolkit import plot  # noqa: E402
from toolkit.analysis import (estimate_f0, estimate_formants, find_pauses, intensity_db,  # noqa: E402
                              mel_spectrogram_db, stft_db)
from toolkit.errors import ParameterError  # noqa: E402

from .signals import SR, pulse_vowel, syllable_train  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_waveform_on_given_axes():
    y = pulse_vowel(dur_s=0.5)
    fig, ax = plt.subplots()
    line = plot.plot_waveform(y, sr=SR, ax=ax)
    assert line.axes is ax
    assert abs(line.get_xdata()[-1] - (len(y) - 1) / SR) < 0.01
    assert len(plt.get_fignums()) == 1


def test_waveform_makes_a_figure_without_axes():
    before = len(plt.get_fignums())
    plot.plot_waveform(pulse_vowel(dur_s=0.2), sr=SR)
    assert len(plt.get_fignums()) == before + 1


def test_spectrogram_with_f0_and_formant_overlays():
    y = pulse_vowel(f0_hz=150.0, formants=((700, 80), (1200, 100), (2600, 150)), dur_s=0.6)
    fig, ax = plt.subplots()
    mesh = plot.plot_spectrogram(stft_db(y, sr=SR), ax=ax, fmax_hz=4000, colorbar=True)
    f0_line = plot.plot_f0(estimate_f0(y, sr=SR), ax=ax)
    dots = plot.plot_formants(estimate_formants(y, sr=SR), ax=ax)
    assert mesh.axes is ax and f0_line.axes is ax and all(d.axes is ax for d in dots)
    assert len(dots) == 3
    assert abs(np.nanmedian(f0_line.get_ydata()) - 150) < 4
    assert ax.get_ylim() == (0, 4000)


def test_mel_spectrogram_axis_labels():
    mesh = plot.plot_spectrogram(mel_spectrogram_db(pulse_vowel(dur_s=0.3), sr=SR, n_mels=40))
    assert mesh.get_array().size == 40 * mesh.get_coordinates().shape[1] - 40
    assert "mel" in mesh.axes.get_ylabel()


def test_prosody_plot_returns_what_it_drew():
    y, _ = syllable_train(n_syl=6, gaps=[(2, 0.5)])
    drawn = plot.plot_prosody(y, sr=SR, title="syllables")
    assert len(drawn["pauses"]) == 2 * len(find_pauses(y, sr=SR)) == 2  # shaded on both axes
    assert len(drawn["nuclei"]) == 6
    assert drawn["axes"][0].get_title() == "syllables"


def test_prosody_plot_on_one_axes_uses_a_twin():
    y, _ = syllable_train(n_syl=4)
    fig, ax = plt.subplots()
    drawn = plot.plot_prosody(y, sr=SR, ax=ax)
    assert drawn["axes"][0] is ax and drawn["axes"][1] is not ax


def test_intensity_and_frames():
    y = pulse_vowel(dur_s=0.3)
    line = plot.plot_intensity(intensity_db(y, sr=SR))
    assert line.get_ydata().max() < 0
    patches = plot.plot_frames(y, sr=SR, frame_length=400, hop_length=160, n_frames=3)
    assert len(patches) == 3


def test_spectrogram_rejects_a_plain_array():
    with pytest.raises(ParameterError, match="needs a Spectrogram"):
        plot.plot_spectrogram(np.zeros((10, 10)))


def test_f0_rejects_a_plain_array():
    with pytest.raises(ParameterError, match="needs an F0Track"):
        plot.plot_f0(np.zeros(10))


def test_waveform_rejects_stereo():
    with pytest.raises(ParameterError, match="1-D waveform"):
        plot.plot_waveform(np.zeros((2, 100)), sr=SR)
