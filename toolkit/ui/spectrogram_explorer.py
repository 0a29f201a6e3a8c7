"""The spectrogram explorer: window length, hop and number of mel bands → STFT and mel pictures, redrawn live.

It only wires controls to :mod:`toolkit.analysis.spectrum`: every change calls
:func:`~toolkit.analysis.stft_db` and :func:`~toolkit.analysis.mel_spectrogram_db`
and redraws both images on the explorer's own figure (made once; only the
image data change) into an ``Output``. A button turns the mel spectrogram back
into sound with Griffin-Lim (:func:`~toolkit.analysis.mel_to_audio`) so the
learner hears what the current settings keep and lose.

Taught in ``notebooks/01_spectrograms.ipynb``.
"""

from __future__ import annotations

import time

import ipywidgets as widgets
import numpy as np

from ..audio import Clip, resample, to_wav_bytes
from ..defaults import ANALYSIS_SR_HZ
from ..errors import ToolkitError
from .common import error_html, figure_jpeg, in_kernel, info_html

__all__ = ["SpectrogramExplorer"]

#: Longest stretch the explorer draws (s); longer clips are cut, so updates stay fast.
MAX_VIEW_S = 6.0


class SpectrogramExplorer:
    """Window/hop/mel-band sliders → STFT and mel spectrogram images, plus a Griffin-Lim player.

    Parameters
    ----------
    clip : toolkit.audio.Clip
        The sound to look at (resampled to 16 kHz, at most ``MAX_VIEW_S`` seconds).
        Change it with :meth:`set_clip` (e.g. from ``RecorderPanel.on_clip``).

    Attributes
    ----------
    widget : ipywidgets.VBox
        What to display.
    n_updates : int
        How many times the pictures have been redrawn.
    last_update_cpu_s : float
        CPU time of the latest update (s): what it costs on an otherwise idle machine.
    last_update_s : float
        How long the latest redraw took (s).
    last_jpeg : bytes
        The latest figure, as shown (JPEG: a spectrogram is photo-like, and a
        PNG of it is 4x larger, which slows every update's message to the browser).
    last_shapes : dict
        Shapes of the latest STFT and mel matrices (``{"stft": (bins, frames), "mel": (bands, frames)}``).
    resynth : np.ndarray or None
        The latest Griffin-Lim resynthesis.

    Examples
    --------
    >>> from toolkit import media
    >>> ex = SpectrogramExplorer(media.example("vowel_a_150"))
    >>> ex.n_mels.value = 20
    >>> ex.last_shapes["mel"][0]
    20
    """

    def __init__(self, clip: Clip, *, window_ms: float = 25.0, hop_ms: float = 10.0, n_mels: int = 80):
        self.n_updates = 0
        self.last_update_s = float("nan")
        self.last_update_cpu_s = float("nan")
        self.last_jpeg = b""
        self.last_shapes: dict = {}
        self.resynth = None
        self._fig = None
        self._images = None
        style = {"description_width": "140px"}
        self.window_ms = widgets.FloatSlider(value=window_ms, min=5.0, max=100.0, step=1.0, description="Window (ms)",
                                             continuous_update=False, style=style, readout_format=".0f")
        self.hop_ms = widgets.FloatSlider(value=hop_ms, min=2.0, max=50.0, step=1.0, description="Hop (ms)",
                                          continuous_update=False, style=style, readout_format=".0f")
        self.n_mels = widgets.IntSlider(value=n_mels, min=8, max=128, step=4, description="Mel bands",
                                        continuous_update=False, style=style)
        self.griffin_lim = widgets.Button(description="Mel → sound (Griffin-Lim)", icon="volume-up",
                                          layout=widgets.Layout(width="240px"))
        self.status = widgets.HTML(info_html("…"))
        self.plot_out = widgets.Output(layout=widgets.Layout(width="100%"))
        self.players = [widgets.Audio(format="wav", autoplay=False, controls=True, layout=widgets.Layout(width="260px"))
                        for _ in range(2)]
        cols = [widgets.VBox([widgets.HTML(f"<b>{t}</b>"), p]) for t, p in
                zip(["Original", "Back from the mel spectrogram"], self.players)]
        self.widget = widgets.VBox([
            widgets.HBox([self.window_ms, self.hop_ms, self.n_mels], layout=widgets.Layout(flex_flow="row wrap")),
            self.status, self.plot_out,
            widgets.HBox([*cols, self.griffin_lim], layout=widgets.Layout(flex_flow="row wrap", align_items="flex-end")),
        ])
        self.widget.add_class("vcl-spectrogram")
        self._update = self.plot_out.capture(clear_output=True, wait=True)(self._redraw) if in_kernel() else self._redraw
        for w in (self.window_ms, self.hop_ms, self.n_mels):
            w.observe(self._on_change, "value")
        self.griffin_lim.on_click(lambda _: self.resynthesise())
        self.set_clip(clip)

    # -- public --------------------------------------------------------------

    def set_clip(self, clip: Clip) -> None:
        """Look at a new clip (e.g. your recording) with the current settings."""
        y = clip.y if clip.sr == ANALYSIS_SR_HZ else resample(clip.y, sr=clip.sr, target_sr=ANALYSIS_SR_HZ)
        self.clip = Clip(y[: int(MAX_VIEW_S * ANALYSIS_SR_HZ)], ANALYSIS_SR_HZ, name=clip.name, source=clip.source)
        self.players[0].value = to_wav_bytes(self.clip.y, sr=self.clip.sr)
        self.players[1].value = b""
        self.resynth = None
        self._fig = None  # time axis changes: rebuild the figure
        self._on_change()

    def settings(self) -> dict:
        """Current frame settings in samples: ``n_fft``, ``win_length``, ``hop_length``, ``n_mels``."""
        sr = self.clip.sr
        win = max(16, int(round(self.window_ms.value / 1000 * sr)))
        n_fft = int(2 ** np.ceil(np.log2(win)))
        hop = max(1, int(round(self.hop_ms.value / 1000 * sr)))
        return {"n_fft": n_fft, "win_length": win, "hop_length": hop, "n_mels": int(min(self.n_mels.value, n_fft // 2 + 1))}

    def resynthesise(self) -> np.ndarray | None:
        """Turn the current mel spectrogram back into sound (Griffin-Lim) and load it into the second player."""
        from ..analysis import mel_to_audio

        try:
            y = mel_to_audio(self.clip.y, sr=self.clip.sr, n_iter=32, **self.settings())
        except ToolkitError as exc:
            self.status.value = error_html(str(exc))
            return None
        self.resynth = y
        self.players[1].value = to_wav_bytes(y, sr=self.clip.sr)
        return y

    # -- internals -----------------------------------------------------------

    def _on_change(self, change=None):
        t0, c0 = time.perf_counter(), time.process_time()
        self._update()
        self.last_update_s = time.perf_counter() - t0
        self.last_update_cpu_s = time.process_time() - c0
        self.n_updates += 1

    def _figure_jpeg(self, stft, mel) -> bytes:
        if self._fig is None:
            from matplotlib.figure import Figure

            self._fig = Figure(figsize=(8, 4.4), dpi=72)
            ax1, ax2 = self._fig.subplots(2, 1, sharex=True)
            dur = len(self.clip.y) / self.clip.sr
            im1 = ax1.imshow(stft.S_db, origin="lower", aspect="auto", cmap="magma", interpolation="nearest",
                             extent=(0, dur, 0, self.clip.sr / 2), vmin=-90, vmax=0)
            ax1.set_ylim(0, 6000)
            ax1.set_ylabel("frequency (Hz)")
            im2 = ax2.imshow(mel.S_db, origin="lower", aspect="auto", cmap="magma", interpolation="nearest",
                             extent=(0, dur, -0.5, mel.S_db.shape[0] - 0.5), vmin=-80, vmax=0)
            ax2.set_ylabel("mel band")
            ax2.set_xlabel("time (s)")
            self._fig.tight_layout()
            self._images = (im1, im2)
        im1, im2 = self._images
        dur = len(self.clip.y) / self.clip.sr
        im1.set_data(stft.S_db)
        im1.set_clim(stft.S_db.max() - 80, stft.S_db.max())
        im2.set_data(mel.S_db)
        im2.set_extent((0, dur, -0.5, mel.S_db.shape[0] - 0.5))
        im2.axes.set_ylim(-0.5, mel.S_db.shape[0] - 0.5)
        s = self.settings()
        im1.axes.set_title(f"STFT: {s['win_length']}-sample window ({self.window_ms.value:.0f} ms), "
                           f"hop {s['hop_length']}, {stft.S_db.shape[0]} bins × {stft.S_db.shape[1]} frames (80 dB range)",
                           fontsize=9)
        im2.axes.set_title(f"Mel: {mel.S_db.shape[0]} bands × {mel.S_db.shape[1]} frames "
                           f"(what a TTS model predicts)", fontsize=9)
        return figure_jpeg(self._fig)

    def _redraw(self):
        from IPython.display import Image, display

        from ..analysis import mel_spectrogram_db, stft_db

        s = self.settings()
        try:
            stft = stft_db(self.clip.y, sr=self.clip.sr, n_fft=s["n_fft"], hop_length=s["hop_length"],
                           win_length=s["win_length"])
            mel = mel_spectrogram_db(self.clip.y, sr=self.clip.sr, **s)
        except ToolkitError as exc:
            self.status.value = error_html(str(exc))
            return
        self.last_shapes = {"stft": stft.S_db.shape, "mel": mel.S_db.shape}
        df_hz = self.clip.sr / s["n_fft"]
        dt_ms = s["hop_length"] / self.clip.sr * 1000
        self.status.value = info_html(
            f"{self.clip.name}: frequency resolution {df_hz:.0f} Hz per bin, time resolution {dt_ms:.0f} ms per frame; "
            f"the mel picture is {mel.S_db.size:,} numbers for {len(self.clip.y):,} samples")
        self.last_jpeg = self._figure_jpeg(stft, mel)
        if in_kernel():
            display(Image(data=self.last_jpeg, format="jpeg"))
