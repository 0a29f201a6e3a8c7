"""The reference tweaker: break a good reference on purpose and watch the checks respond.

Sliders for background noise, room echo, a second voice, music, mains hum, clipping,
speed, volume and trimming, and switches for a bang and a telephone line, feed :func:`toolkit.effects.apply_tweaks` (a pure function); the
tweaked clip is played and re-checked by a :class:`~toolkit.ui.report_card.ReportCard`
after every change. The tweaked reference is also handed to whoever asked
(``on_change`` callbacks, or the :attr:`ReferenceTweaker.tweaked_clip` property),
so a cloning panel can clone from exactly what you hear.

Taught in ``notebooks/04_reference_audio.ipynb``.
"""

from __future__ import annotations

import time

import ipywidgets as widgets
import numpy as np

from ..audio import Clip, resample, to_wav_bytes
from ..defaults import ANALYSIS_SR_HZ
from ..errors import ToolkitError
from .common import error_html, info_html
from .report_card import ReportCard

__all__ = ["ReferenceTweaker", "settings_to_kwargs"]

SR = ANALYSIS_SR_HZ
#: Slider positions that mean "leave this step out".
NOISE_OFF_DB, VOICE_OFF_DB, MUSIC_OFF_DB, HUM_OFF_DB = 40.0, -30.0, 40.0, 60.0
#: The music under the "Music" slider: a key of :mod:`toolkit.media` (Vibe Ace, Kevin MacLeod, CC BY 3.0).
MUSIC_KEY = "music_vibe_ace"


def settings_to_kwargs(settings: dict) -> dict:
    """Turn the tweaker's slider values into :func:`toolkit.effects.apply_tweaks` arguments (pure).

    Examples
    --------
    >>> settings_to_kwargs({"noise_snr_db": 40.0, "rt60_s": 0.0, "voice_level_db": -30.0, "drive_db": 6.0,
    ...                     "speed": 1.0, "gain_db": 0.0, "trim_s": (0.0, 5.0)})["drive_db"]
    6.0
    """
    music = float(settings.get("music_snr_db", MUSIC_OFF_DB))
    hum = float(settings.get("hum_snr_db", HUM_OFF_DB))
    trim_s = tuple(settings["trim_s"])
    return {"noise_snr_db": None if settings["noise_snr_db"] >= NOISE_OFF_DB else float(settings["noise_snr_db"]),
            "rt60_s": None if settings["rt60_s"] <= 0 else float(settings["rt60_s"]),
            "voice_level_db": None if settings["voice_level_db"] <= VOICE_OFF_DB else float(settings["voice_level_db"]),
            "drive_db": float(settings["drive_db"]), "speed": float(settings["speed"]),
            "gain_db": float(settings["gain_db"]), "trim_s": trim_s,
            "music_snr_db": None if music >= MUSIC_OFF_DB else music,
            "hum_snr_db": None if hum >= HUM_OFF_DB else hum,
            # the bang falls in the middle of what is kept (times after trimming and speed change)
            "bang_at_s": (trim_s[1] - trim_s[0]) / 2 / float(settings["speed"]) if settings.get("bang") else None,
            "phone": bool(settings.get("phone", False))}


class ReferenceTweaker:
    """Degrade a reference with sliders; hear it and see its report card update.

    Parameters
    ----------
    clip : toolkit.audio.Clip
        The reference to break (analysed at 16 kHz).
    other : toolkit.audio.Clip, optional
        The second voice for the "second voice" slider (a default example voice when omitted).
    music : toolkit.audio.Clip, optional
        The music for the "music" slider (by default ``media.example(MUSIC_KEY)``; the slider is disabled when
        neither is there).
    on_change : callable, optional
        Called with the tweaked :class:`~toolkit.audio.Clip` after every update (e.g. to clone from it).
    spectrogram : bool
        Draw the report card's spectrogram.

    Attributes
    ----------
    widget : ipywidgets.VBox
    card : ReportCard
        The live report card (``card.report`` is the latest report).
    n_updates : int
    last_update_s : float
        Wall time of the latest update: effects, checks and drawing (s).

    Examples
    --------
    >>> from toolkit import media
    >>> tw = ReferenceTweaker(media.example("vowel_a_150"), spectrogram=False)
    >>> tw.drive.value = 12.0
    >>> tw.card.report["clipping"].status
    'fail'
    """

    def __init__(self, clip: Clip, *, other: Clip | None = None, music: Clip | None = None, on_change=None,
                 spectrogram: bool = True):
        self._callbacks = [on_change] if on_change else []
        self.n_updates = 0
        self.last_update_s = float("nan")
        self._tweaked = None
        style = {"description_width": "140px"}

        def slider(desc, value, lo, hi, step, fmt, tip):
            return widgets.FloatSlider(value=value, min=lo, max=hi, step=step, description=desc, style=style,
                                       continuous_update=False, readout_format=fmt, tooltip=tip)

        self.noise = slider("Noise SNR (dB)", NOISE_OFF_DB, 0.0, NOISE_OFF_DB, 1.0, ".0f",
                            f"{NOISE_OFF_DB:.0f} = no added noise; lower = noisier")
        self.reverb = slider("Echo RT60 (s)", 0.0, 0.0, 2.0, 0.1, ".1f", "0 = dry; 1 s and more = a hall")
        self.voice = slider("Second voice (dB)", VOICE_OFF_DB, VOICE_OFF_DB, 6.0, 1.0, ".0f",
                            f"{VOICE_OFF_DB:.0f} = nobody else; 0 = as loud as you")
        self.music = slider("Music SNR (dB)", MUSIC_OFF_DB, 0.0, MUSIC_OFF_DB, 1.0, ".0f",
                            f"{MUSIC_OFF_DB:.0f} = no music; lower = louder music under your voice")
        self.hum = slider("Mains hum SNR (dB)", HUM_OFF_DB, 10.0, HUM_OFF_DB, 1.0, ".0f",
                          f"{HUM_OFF_DB:.0f} = no hum; lower = louder 50 Hz hum")
        self.bang = widgets.Checkbox(value=False, description="A bang mid-clip (door slam)", indent=False)
        self.phone = widgets.Checkbox(value=False, description="Through a phone line (300-3400 Hz)", indent=False)
        self.drive = slider("Clipping drive (dB)", 0.0, 0.0, 24.0, 1.0, ".0f", "how far past full scale")
        self.speed = slider("Speed ×", 1.0, 0.7, 1.6, 0.05, ".2f", "pitch is kept")
        self.gain = slider("Volume (dB)", 0.0, -40.0, 12.0, 1.0, "+.0f", "recording gain")
        self.trim = widgets.FloatRangeSlider(value=(0.0, 1.0), min=0.0, max=1.0, step=0.1, description="Keep (s)",
                                             style=style, continuous_update=False, readout_format=".1f")
        self.reset = widgets.Button(description="Reset", icon="undo", layout=widgets.Layout(width="100px"))
        self.status = widgets.HTML(info_html("…"))
        self.players = [widgets.Audio(format="wav", autoplay=False, controls=True,
                                      layout=widgets.Layout(width="260px")) for _ in range(2)]
        self.card = ReportCard(spectrogram=spectrogram)
        cols = [widgets.VBox([widgets.HTML(f"<b>{t}</b>"), p]) for t, p in zip(["Original", "Tweaked"], self.players)]
        self._controls = (self.noise, self.reverb, self.voice, self.drive, self.speed, self.gain, self.trim,
                          self.music, self.hum, self.bang, self.phone)
        self.widget = widgets.VBox([
            widgets.HBox([widgets.VBox([self.noise, self.reverb, self.voice, self.drive]),
                          widgets.VBox([self.music, self.hum, self.bang, self.phone]),
                          widgets.VBox([self.speed, self.gain, self.trim, self.reset])],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.status, widgets.HBox(cols, layout=widgets.Layout(flex_flow="row wrap")), self.card.widget])
        self.widget.add_class("vcl-tweaker")
        for w in self._controls:
            w.observe(self._on_change, "value")
        self.reset.on_click(lambda _: self.set_values())
        self._other = other
        self._music_y = self._load_music(music)
        if self._music_y is None:
            self.music.disabled = True
            self.music.tooltip = f"no music: media example {MUSIC_KEY!r} is missing"
        self.set_clip(clip)

    @staticmethod
    def _load_music(music):
        if music is None:
            from .. import media

            try:
                music = media.example(MUSIC_KEY, sr=SR)
            except ToolkitError:
                return None
        return music.y if music.sr == SR else resample(music.y, sr=music.sr, target_sr=SR)

    # --- public -------------------------------------------------------------------------

    def on_change(self, callback) -> None:
        """Call ``callback(tweaked_clip)`` after every update (the hook for cloning from the tweaked reference)."""
        self._callbacks.append(callback)

    @property
    def tweaked_clip(self) -> Clip | None:
        """The reference as the sliders have made it (16 kHz)."""
        return self._tweaked

    @property
    def settings(self) -> dict:
        """The slider values, as :func:`settings_to_kwargs` reads them."""
        return {"noise_snr_db": self.noise.value, "rt60_s": self.reverb.value, "voice_level_db": self.voice.value,
                "drive_db": self.drive.value, "speed": self.speed.value, "gain_db": self.gain.value,
                "trim_s": tuple(self.trim.value), "music_snr_db": self.music.value, "hum_snr_db": self.hum.value,
                "bang": self.bang.value, "phone": self.phone.value}

    def set_clip(self, clip: Clip) -> None:
        """Start over from a new reference (the trim range follows its length)."""
        y = clip.y if clip.sr == SR else resample(clip.y, sr=clip.sr, target_sr=SR)
        self.clip = Clip(y, SR, name=clip.name, source=clip.source)
        if self._other is None:
            from .. import media

            try:
                other = media.example("expressive_angry", sr=SR)
            except ToolkitError:
                other = Clip(np.roll(y, len(y) // 3), SR, name="shifted copy")
            self._other = other
        o = self._other
        self._other_y = o.y if o.sr == SR else resample(o.y, sr=o.sr, target_sr=SR)
        self.players[0].value = to_wav_bytes(self.clip.y, sr=SR)
        dur = round(self.clip.duration_s, 1)
        self.trim.unobserve(self._on_change, "value")
        self.trim.max = max(dur, 0.1)
        self.trim.value = (0.0, self.trim.max)
        self.trim.observe(self._on_change, "value")
        self._on_change()

    def set_values(self, **values) -> None:
        """Set several sliders with one update, e.g. ``set_values(noise_snr_db=5, rt60_s=0.8)``; no arguments resets."""
        names = {"noise_snr_db": self.noise, "rt60_s": self.reverb, "voice_level_db": self.voice,
                 "drive_db": self.drive, "speed": self.speed, "gain_db": self.gain, "trim_s": self.trim,
                 "music_snr_db": self.music, "hum_snr_db": self.hum, "bang": self.bang, "phone": self.phone}
        defaults = {"noise_snr_db": NOISE_OFF_DB, "rt60_s": 0.0, "voice_level_db": VOICE_OFF_DB, "drive_db": 0.0,
                    "speed": 1.0, "gain_db": 0.0, "trim_s": (0.0, self.trim.max), "music_snr_db": MUSIC_OFF_DB,
                    "hum_snr_db": HUM_OFF_DB, "bang": False, "phone": False}
        unknown = set(values) - set(names)
        if unknown:
            raise ToolkitError(f"unknown setting(s) {sorted(unknown)}; use {', '.join(names)}")
        if values.get("music_snr_db", MUSIC_OFF_DB) < MUSIC_OFF_DB and self._music_y is None:
            raise ToolkitError(f"no music to add: media example {MUSIC_KEY!r} is missing; pass music=<Clip>")
        for w in self._controls:
            w.unobserve(self._on_change, "value")
        try:
            for key, w in names.items():
                w.value = values.get(key, defaults[key]) if values else defaults[key]
        finally:
            for w in self._controls:
                w.observe(self._on_change, "value")
        self._on_change()

    # --- wiring ----------------------------------------------------------------------------

    def _on_change(self, change=None):
        from ..effects import apply_tweaks

        t0 = time.perf_counter()
        try:
            y = apply_tweaks(self.clip.y, sr=SR, other=self._other_y, music=self._music_y, seed=0,
                             **settings_to_kwargs(self.settings))
        except ToolkitError as exc:
            self.status.value = error_html(str(exc))
            return
        self._tweaked = Clip(y, SR, name=f"{self.clip.name} (tweaked)", source="generated")
        self.players[1].value = to_wav_bytes(y, sr=SR)
        self.card.set_clip(self._tweaked)
        for callback in self._callbacks:
            callback(self._tweaked)
        self.n_updates += 1
        self.last_update_s = time.perf_counter() - t0
        self.status.value = info_html(f"{self._tweaked.duration_s:.1f} s; checks re-ran in {self.last_update_s:.2f} s")
