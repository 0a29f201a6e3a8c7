"""The app's results panel: reference (cleaned reference) and clone side by side, similarity, voice map, download,
"hear yourself".

It shows a :class:`~toolkit.ui.clone_flow.FlowResult`: two players with their
mel spectrograms (same analysis, same frequency axis, so they compare at a
glance), the speaker-similarity meter, the voice map, and a WAV download link.
The *Hear yourself* toggle swaps both players for the own-voice simulation
(:func:`toolkit.conduction.as_you_hear_yourself`): how each would sound to its
speaker, with the bone-conducted path added. A short history table keeps the
similarity of earlier clones, so a clone from a tweaked reference can be
compared with the clean one. When the clean stage changed the reference
(:mod:`toolkit.enhance`), a third player between them plays the cleaned
reference, with a line saying why it was cleaned and a button that undoes it.

Taught in ``notebooks/02_bone_vs_air.ipynb`` (hear yourself) and ``05_zero_shot_cloning.ipynb``.
"""

from __future__ import annotations

import base64
import html

import ipywidgets as widgets

from ..audio import resample, to_wav_bytes
from ..defaults import ANALYSIS_SR_HZ
from ..errors import ToolkitError
from .clone_studio import similarity_meter_html
from .common import error_html, info_html

__all__ = ["ResultsPanel", "spectrogram_jpeg", "download_link_html"]

#: Upper frequency of the spectrograms (Hz): the same axis for a 16 kHz reference and a 24 kHz clone.
SPEC_SR_HZ = ANALYSIS_SR_HZ
#: What the page says instead of a score when the clone holds under a second of speech (the speaker
#: encoder's minimum, :data:`toolkit.embedding.MIN_SPEECH_S`): a few words at a fast pace.
TOO_SHORT_TO_SCORE = ("Too short to score its similarity: the speaker encoder needs a second of speech or more; "
                      "type a longer text for a score.")


def spectrogram_jpeg(y, *, sr, title: str) -> bytes:
    """JPEG of a mel spectrogram (at 16 kHz, so every clip shares one frequency axis)."""
    from matplotlib.figure import Figure

    from ..analysis import mel_spectrogram_db
    from ..plot import plot_spectrogram
    from .common import figure_jpeg

    y16 = resample(y, sr=sr, target_sr=SPEC_SR_HZ)
    fig = Figure(figsize=(5.2, 2.4), dpi=80)
    ax = fig.add_subplot()
    plot_spectrogram(mel_spectrogram_db(y16, sr=SPEC_SR_HZ), ax=ax)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return figure_jpeg(fig)


def download_link_html(y, *, sr, filename: str = "my-clone.wav") -> str:
    """An ``<a download>`` link carrying the clip as a WAV data URL (works offline, no server round trip)."""
    data = base64.b64encode(to_wav_bytes(y, sr=sr)).decode("ascii")
    return (f"<a class='vcl-download' download='{html.escape(filename)}' href='data:audio/wav;base64,{data}' "
            f"role='button'>⬇ Download the clone (WAV, {len(y) / sr:.1f} s)</a>")


def _player(label: str, css: str):
    title = widgets.HTML(f"<b>{html.escape(label)}</b>")
    player = widgets.Audio(format="wav", autoplay=False, controls=True, layout=widgets.Layout(width="100%"))
    player.add_class(css)
    image = widgets.Image(format="jpeg", layout=widgets.Layout(width="100%", height="auto"))
    image.add_class("vcl-result-spectrogram")
    box = widgets.VBox([title, player, image])
    box.add_class("vcl-column")
    return title, player, image, box


class ResultsPanel:
    """Shows the latest clone; hidden until there is one.

    Attributes
    ----------
    widget : ipywidgets.VBox
    result : toolkit.ui.clone_flow.FlowResult or None
    history : list of dict
        One row per clone: reference, text, similarity.
    """

    def __init__(self):
        self.result = None
        self.history = []
        self._own = {}
        self.headline = widgets.HTML("")
        self.ref_title, self.ref_player, self.ref_image, ref_box = _player("Reference", "vcl-ref-audio")
        self.clone_title, self.clone_player, self.clone_image, clone_box = _player("Clone", "vcl-clone-audio")
        self.clean_title, self.clean_player, self.clean_image, self.clean_box = _player("Cleaned reference",
                                                                                        "vcl-cleaned-audio")
        self.clean_box.layout.display = "none"
        self.clean_note = widgets.HTML("")
        self.clean_note.add_class("vcl-clean-note")
        self.undo_clean = widgets.Button(description="Undo: clone the recording as it is", icon="undo",
                                         tooltip="Clone again from the reference exactly as recorded (no cleaning)",
                                         layout=widgets.Layout(width="auto", display="none"))
        self.undo_clean.add_class("vcl-undo-clean")
        self._undo = None
        self.undo_clean.on_click(lambda _: self._undo() if self._undo else None)
        self.hear_yourself = widgets.ToggleButton(
            value=False, description="Hear yourself", icon="headphones",
            tooltip="Play both as their speaker hears them while talking (bone conduction added)",
            layout=widgets.Layout(width="auto"))
        self.hear_yourself.add_class("vcl-hear-yourself")
        self.hear_note = widgets.HTML("<span class='vcl-hint'>Own-voice simulation: how each would sound to its "
                                      "speaker, while talking.</span>")
        self.hear_yourself.observe(self._on_hear_yourself, "value")
        self.meter = widgets.HTML("")
        self.meter.add_class("vcl-similarity")
        self.map_image = widgets.Image(format="png", layout=widgets.Layout(width="min(100%, 520px)", height="auto"))
        self.map_image.add_class("vcl-voice-map")
        self.download = widgets.HTML("")
        self.table = widgets.HTML("")
        pair = widgets.HBox([ref_box, self.clean_box, clone_box])
        pair.add_class("vcl-pair")
        self.placeholder = widgets.HTML(info_html("Your clone appears here, next to the reference."))
        map_row = widgets.HBox([self.map_image, self.table])
        map_row.add_class("vcl-map-row")
        self.body = widgets.VBox([
            self.headline, widgets.HBox([self.clean_note, self.undo_clean]), pair, self.meter,
            widgets.HBox([self.hear_yourself, self.hear_note]),
            self.download, map_row,
        ], layout=widgets.Layout(display="none"))
        self.widget = widgets.VBox([self.placeholder, self.body])
        self.widget.add_class("vcl-results")

    def on_undo_clean(self, callback) -> None:
        """Call ``callback()`` when the visitor presses *Undo* under a cleaned reference."""
        self._undo = callback

    def _show_cleaning(self, res) -> None:
        enh = getattr(res, "enhancement", None)
        cleaned = enh is not None and bool(enh.steps)
        self.clean_box.layout.display = "flex" if cleaned else "none"
        self.undo_clean.layout.display = "flex" if cleaned else "none"
        if cleaned:
            why = (f"Cleaned automatically: {html.escape(enh.reason)}, so the reference was "
                   if res.enhance == "auto" and enh.reason else "Cleaned as asked: the reference was ")
            self.clean_note.value = info_html(
                f"{why}{html.escape(enh.summary.split(';')[0])} before cloning. Cleaning also takes a little of the "
                "voice (breath, the top of the s sounds): listen to all three, and undo it if the clone sounds less "
                "like you.")
            self.clean_title.value = f"<b>Cleaned reference</b> · {html.escape(' + '.join(enh.steps))}"
            self.clean_player.value = to_wav_bytes(enh.y, sr=enh.sr)
            self.clean_image.value = spectrogram_jpeg(enh.y, sr=enh.sr, title="Cleaned: mel spectrogram")
        else:
            self.clean_note.value = ("" if enh is None or res.enhance == "off" else
                                     "<span class='vcl-hint'>No noise or echo found: the reference was used as "
                                     "recorded.</span>")

    def show(self, res) -> None:
        """Show a :class:`~toolkit.ui.clone_flow.FlowResult`."""
        self.result = res
        self._own = {}
        self._show_cleaning(res)
        ref = res.reference
        fit = (f"voice fitted in {res.timings_s.get('fit', 0):.0f} s" if res.fitted_now
               else "voice reused (already fitted)")
        self.headline.value = (f"<div class='vcl-headline'>“{html.escape(_short(res.text, 90))}” · "
                               f"{len(res.y) / res.sr:.1f} s · {fit} · made in {sum(res.timings_s.values()):.1f} s"
                               "</div>")
        self.ref_title.value = f"<b>Reference</b> · {html.escape(ref.name)}"
        self.clone_title.value = "<b>Clone</b> · the same voice, new words"
        self.ref_image.value = spectrogram_jpeg(ref.y, sr=ref.sr, title="Reference: mel spectrogram")
        self.clone_image.value = spectrogram_jpeg(res.y, sr=res.sr, title="Clone: mel spectrogram")
        self._set_players()
        if res.similarity is None:
            self.meter.value = info_html(TOO_SHORT_TO_SCORE)
        else:
            meters = similarity_meter_html("Speaker similarity", res.similarity)
            if res.similarity_to_original is not None:
                meters += similarity_meter_html("…to your untweaked voice", res.similarity_to_original)
            self.meter.value = (meters + "<div class='vcl-hint'>GE2E cosine similarity: about 0.9 for the same "
                                "speaker recorded twice; below 0.6 sounds like someone else.</div>")
        self.map_image.value = _voice_map(res)
        self.download.value = download_link_html(res.y, sr=res.sr)
        self.history.append({"reference": ref.name, "text": _short(res.text, 40), "similarity": res.similarity,
                             "to_original": res.similarity_to_original})
        self.table.value = _history_html(self.history[-6:])
        self.placeholder.layout.display = "none"
        self.body.layout.display = "flex"

    # --- hear yourself --------------------------------------------------------------------

    def _own_voice(self, key, y, sr):
        from ..conduction import as_you_hear_yourself

        if key not in self._own:
            self._own[key] = as_you_hear_yourself(y, sr=sr)
        return self._own[key]

    def _set_players(self):
        res = self.result
        ref = res.reference
        y_ref, y_clone = ref.y, res.y
        if self.hear_yourself.value:
            y_ref = self._own_voice("ref", ref.y, ref.sr)
            y_clone = self._own_voice("clone", res.y, res.sr)
        self.ref_player.value = to_wav_bytes(y_ref, sr=ref.sr)
        self.clone_player.value = to_wav_bytes(y_clone, sr=res.sr)

    def _on_hear_yourself(self, change):
        if self.result is None:
            self.hear_note.value = info_html("Make a clone first.")
            return
        try:
            self._set_players()
        except ToolkitError as exc:
            self.hear_note.value = error_html(str(exc))
            return
        self.hear_note.value = info_html(
            "Now playing both as their speaker hears them: your skull carries the low notes to your ear, which is "
            "why a recording of you sounds thinner than the voice in your head." if change["new"] else
            "Playing both as others hear them (through the air).")


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _voice_map(res) -> bytes:
    from .voice_map import voice_map_png

    voices = {"your reference": res.encoding.embedding}
    if res.embedding is not None:  # a clone too short to embed is not on the map
        voices["the clone"] = res.embedding
    return voice_map_png(voices)


def _score(similarity) -> str:
    return "too short" if similarity is None else f"{similarity:.2f}"


def _history_html(rows) -> str:
    tweaked = any(r["to_original"] is not None for r in rows)

    def extra(r):
        if not tweaked:
            return ""
        return f"<td style='text-align:right'>{'' if r['to_original'] is None else format(r['to_original'], '.2f')}</td>"

    body = "".join(f"<tr><td>{html.escape(r['reference'])}</td><td>{html.escape(r['text'])}</td>"
                   f"<td style='text-align:right'>{_score(r['similarity'])}</td>{extra(r)}</tr>" for r in rows)
    head = "<th>reference</th><th>text</th><th>similarity</th>" + ("<th>to untweaked</th>" if tweaked else "")
    return f"<table class='vcl-history'><caption>Your clones so far</caption><tr>{head}</tr>{body}</table>"
