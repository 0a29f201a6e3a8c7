"""The Voila app, assembled from panels: ``notebooks/app.ipynb`` only calls :func:`build_app`.

One column of numbered cards, wrapping on narrow screens:

1. **Your reference**: record (ipywebrtc), upload or pick an example (:class:`~toolkit.ui.recorder.RecorderPanel`);
2. **Is it a good reference?**: the report card with its top tip (:class:`~toolkit.ui.report_card.ReportCard`);
3. **What should the clone say?**: text with suggestions, language, *Clone* and a progress row per stage
   (:class:`~toolkit.ui.clone_flow.CloneFlow`);
4. **Your clone**: players, spectrograms, similarity, voice map, download, hear yourself
   (:class:`~toolkit.ui.results.ResultsPanel`);
5. **Break the reference on purpose**: the reference tweaker, and a clone from what it made
   (:class:`~toolkit.ui.tweaker.ReferenceTweaker`, built when first opened).

This module only lays out and wires; every failure a visitor can cause ends as a
one-line message in the page (:func:`~toolkit.ui.common.error_html`).
"""

from __future__ import annotations

import logging
import threading
import time

import ipywidgets as widgets

from ..defaults import LANGUAGES as DEFAULT_LANGUAGES
from ..errors import ToolkitError
from .clone_flow import MAX_TEXT_CHARS, CloneFlow, StageProgress
from .common import error_html, info_html, ok_html
from .recorder import RecorderPanel
from .report_card import ReportCard
from .results import ResultsPanel
from .style import CSS

__all__ = ["build_app", "AppState", "SUGGESTIONS", "LANGUAGES"]

log = logging.getLogger(__name__)

TITLE = "Voice Cloning Lab"
INTRO = (
    "Give the lab 5-15 seconds of a voice: record yourself, upload a file or pick an example. It checks the "
    "recording, finds a matching voice for a small text-to-speech model, and reads any text you type in that "
    "voice. Then compare the two side by side: hear them, see their spectrograms, see how similar a speaker "
    "encoder finds them and where both land on a map of voices. Everything runs on this server, offline; "
    "nothing you record leaves it."
)
CONSENT = ("<b>Consent:</b> clone only voices you have permission to use: your own, or a speaker who agreed "
           "to it. Never use a clone to deceive anyone.")

#: Suggested sentences: button label → text.
SUGGESTIONS = {
    "Greeting": "Hello! This is my voice, cloned in a few seconds on a small computer.",
    "Weather": "The weather today is mild, with a light breeze and a little sunshine in the afternoon.",
    "Question": "Would you like a cup of tea, or shall we go for a walk first?",
    "Tongue twister": "She sells sea shells by the sea shore, and the shells she sells are surely sea shells.",
}
#: Languages the clone can speak: code → name (the voice is fitted on English); :data:`toolkit.defaults.LANGUAGES`.
LANGUAGES = DEFAULT_LANGUAGES
#: Seconds after *Stop* with no recording before the page suggests the microphone is blocked.
MIC_TIMEOUT_S = 10.0
#: A click on Clone that reaches the kernel this soon after a clone ended was made while that clone ran (the kernel
#: handles one message at a time, so it waited in line): one clone at a time, so it is ignored, and the page says so.
QUEUED_CLICK_S = 0.5


def _card(number: int, title: str, children, css: str) -> widgets.VBox:
    box = widgets.VBox([widgets.HTML(f"<h2 class='vcl-card-title'><span class='vcl-num'>{number}</span> "
                                     f"{title}</h2>"), *children])
    box.add_class("vcl-card")
    box.add_class(css)
    return box


class AppState:
    """Everything the page holds, wired together.

    Parameters
    ----------
    initial_example : str, optional
        Load this example reference at start.
    warm_up : bool
        Load the models in a background thread (so the first clone does not wait for them).

    Attributes
    ----------
    recorder : RecorderPanel
    card : ReportCard
    flow : CloneFlow
    progress : StageProgress
    results : ResultsPanel
    tweaker : ReferenceTweaker or None
        Built when its section is first opened.
    """

    def __init__(self, *, initial_example=None, warm_up: bool = False):
        # the card's title names the section, so no heading of the panel's own; no empty player until a clip
        self.recorder = RecorderPanel(example_kind="speech", heading=False, hide_empty_player=True)
        self.card = ReportCard(spectrogram=True)
        self.flow = CloneFlow()
        self.progress = StageProgress()
        self.results = ResultsPanel()
        self.tweaker = None
        self.busy = False
        self._clone_ended_at = float("-inf")
        self._mic_timer = None
        self._audio_at_start = None  # the recorder's data when Record was pressed
        self.mic_problem = ""
        # the page's template types the browser's microphone error here (see toolkit/ui/voila/templates/vcl)
        self.mic_error = widgets.Text(value="", description="Microphone error",
                                      layout=widgets.Layout(display="none"))
        self.mic_error.add_class("vcl-mic-error")

        # 3 · text, suggestions, language, clone
        self.text = widgets.Textarea(value=SUGGESTIONS["Greeting"], description="Text to say",
                                     placeholder="Type what the clone should say…", continuous_update=True,
                                     layout=widgets.Layout(width="100%"),
                                     style={"description_width": "initial"})
        self.text.add_class("vcl-text")
        self.counter = widgets.HTML("")
        self.counter.add_class("vcl-counter")
        self.suggestions = []
        for label, sentence in SUGGESTIONS.items():
            b = widgets.Button(description=label, tooltip=f"Fill the text box with: {sentence}",
                               layout=widgets.Layout(width="auto"))
            b.add_class("vcl-suggestion")
            b.on_click(lambda _, s=sentence: setattr(self.text, "value", s))
            self.suggestions.append(b)
        self.language = widgets.Dropdown(options=[(n, k) for k, n in LANGUAGES.items()], value="en",
                                         description="Language (optional)", style={"description_width": "initial"},
                                         layout=widgets.Layout(width="auto"))
        self.language.add_class("vcl-language")
        # "say it like me" and the accent (toolkit.clone.delivery, toolkit.synth.phonemes): compact, beside Clone
        self.like_me = widgets.Checkbox(value=False, description="Say it like me", indent=False,
                                        tooltip="My recording says this very text: give the clone my timing and "
                                                "melody", layout=widgets.Layout(width="auto"))
        self.like_me.add_class("vcl-like-me")
        self.accent = widgets.Dropdown(options=_accent_options(None), value="native", description="Accent",
                                       tooltip="Read the text as a speaker of another language would",
                                       layout=widgets.Layout(width="auto"))
        self.accent.add_class("vcl-accent")
        self.delivery_figure = widgets.Image(format="jpeg", layout=widgets.Layout(display="none", width="100%",
                                                                                 max_width="640px", height="auto"))
        self.delivery_figure.add_class("vcl-delivery-figure")
        self.enhance = widgets.ToggleButtons(
            options=[("Auto", "auto"), ("On", "on"), ("Off", "off")], value="auto", description="Clean the reference",
            tooltips=["Remove noise and echo when the report card finds them", "Always remove noise and echo",
                      "Use the recording exactly as it is"], style={"description_width": "initial", "button_width": "4em"})
        self.enhance.add_class("vcl-enhance")
        self.clone_button = widgets.Button(description="Clone my voice", icon="magic", button_style="primary",
                                           tooltip="Make the clone say the text", layout=widgets.Layout(width="auto"))
        self.clone_button.add_class("vcl-clone")
        self.status = widgets.HTML(info_html("Choose a reference above, then press Clone."))
        self.status.add_class("vcl-clone-status")

        # 5 · tweaker (lazy)
        self.tweak_box = widgets.VBox([widgets.HTML(info_html("Opening the tweaker…"))])
        self.tweak_button = widgets.Button(description="Clone the tweaked reference", icon="magic", button_style="primary",
                                           tooltip="Fit a voice to the tweaked reference and clone the text",
                                           layout=widgets.Layout(width="auto"))
        self.tweak_button.add_class("vcl-clone-tweaked")
        self.tweak_status = widgets.HTML("")
        self.tweak_section = widgets.Accordion(children=[widgets.VBox([
            widgets.HTML("<p>Add noise or echo, change the speed or the volume: the report card re-checks the "
                         "recording at once. Then clone from the tweaked copy and compare its similarity with the "
                         "clean clone's (a new voice is fitted for it, so it takes a little while).</p>"),
            self.tweak_box, widgets.HBox([self.tweak_button]), self.tweak_status])])
        self.tweak_section.set_title(0, "Break the reference on purpose (noise, echo, speed, volume)")
        self.tweak_section.selected_index = None
        self.tweak_section.add_class("vcl-tweak-section")

        # wiring
        self.results.on_undo_clean(self._on_undo_clean)
        self.recorder.on_clip(self._on_clip)
        self.text.observe(self._on_text, "value")
        self.like_me.observe(self._on_like_me, "value")
        self.clone_button.on_click(lambda _: self.on_clone_click())
        self.tweak_button.on_click(lambda _: self.on_clone_click(tweaked=True))
        self.tweak_section.observe(self._on_open_tweaker, "selected_index")
        self.recorder.record_button.observe(self._on_record_toggle, "value")
        self.recorder.on_mic_audio(self._on_mic_data)
        self.mic_error.observe(self._on_mic_error, "value")
        self._on_text()
        if initial_example:
            keys = [key for _, key in self.recorder.picker.options]
            if initial_example in keys:
                self.recorder.picker.value = initial_example
            else:  # not a speech example (e.g. a synthetic vowel): load it all the same
                from ..media import example

                self.recorder.set_clip(example(initial_example))
        if warm_up:
            threading.Thread(target=_warm_up, name="vcl-warm-up", daemon=True).start()

    # --- actions -------------------------------------------------------------------------------

    def on_clone_click(self, *, tweaked: bool = False):
        """A click on a Clone button: :meth:`clone`, unless the click was made while the last clone ran."""
        if time.monotonic() - self._clone_ended_at < QUEUED_CLICK_S:
            status = self.tweak_status if tweaked else self.status
            status.value += info_html("One clone at a time: the extra click made while cloning was ignored.")
            return None
        return self.clone(tweaked=tweaked)

    def clone(self, *, tweaked: bool = False):
        """Clone the current (or tweaked) reference saying the current text; returns the result or ``None``."""
        status = self.tweak_status if tweaked else self.status
        if self.busy:
            status.value = info_html("Still working on the previous clone…")
            return None
        original = self.recorder.clip
        clip = original
        if tweaked:
            clip = self.tweaker.tweaked_clip if self.tweaker is not None else None
            if clip is None:
                status.value = error_html("Open the tweaker with a reference first.")
                return None
        self.busy = True
        started_at = time.monotonic()
        for b in (self.clone_button, self.tweak_button):
            b.disabled = True
        self.progress.reset()
        status.value = info_html("Cloning… watch the stages below.")
        try:
            report = self.card.report if not tweaked and self.card.clip is clip else None
            res = self.flow.run(clip, text=self.text.value, language=self.language.value,
                                original=original if tweaked else None, enhance=self.enhance.value, report=report,
                                on_stage=self.progress.update, accent=self.accent.value, like_me=self.like_me.value)
            self.results.show(res)
            self._show_delivery(res)
        except ToolkitError as exc:
            status.value = error_html(_sentence(str(exc)))
            return None
        except Exception as exc:  # a bug must not take the page down: say so, keep going
            log.exception("clone failed")
            status.value = error_html(f"Something went wrong while cloning ({type(exc).__name__}); "
                                      "try another reference or text.")
            return None
        finally:
            from ..models import trim_memory

            trim_memory()  # a clone's synthesis leaves ~0.5 GB the allocator would otherwise keep (a room's RAM)
            self.busy = False
            if time.monotonic() - started_at > QUEUED_CLICK_S:  # long enough for a click to wait behind it
                self._clone_ended_at = time.monotonic()
            for b in (self.clone_button, self.tweak_button):
                b.disabled = False
        how = "fitted a new voice" if res.fitted_now else "reused the fitted voice"
        score = "too short to score its similarity" if res.similarity is None else f"similarity {res.similarity:.2f}"
        status.value = ok_html(f"Done: {len(res.y) / res.sr:.1f} s of speech, {score} "
                               f"({how}). Change the text and clone again: it only takes a moment now.")
        if res.delivery is not None:
            status.value += info_html("Said like you: your timing and melody, the clone's voice and pitch.")
        elif res.delivery_note:
            status.value += info_html(f"Said the clone's way: {_sentence(res.delivery_note)}")
        if tweaked:
            self.status.value = info_html("Showing the clone of the tweaked reference below.")
        return res

    # --- callbacks -----------------------------------------------------------------------------

    def _show_delivery(self, res):
        if res.delivery is None:
            self.delivery_figure.layout.display = "none"
            return
        from .clone_flow import delivery_jpeg

        self.delivery_figure.value = delivery_jpeg(res.delivery)
        self.delivery_figure.layout.display = ""

    def _reference_info(self, clip):
        """The example's index entry when the clip is a bundled example (its language and transcript), else None."""
        if clip is None or getattr(clip, "source", "") != "example":
            return None
        from ..media import list_examples

        return next((e for e in list_examples() if e.key == clip.name), None)

    def _on_like_me(self, change):
        info = self._reference_info(self.recorder.clip)
        if change["new"] and info is not None and info.transcript:
            self.text.value = info.transcript  # an example says its transcript: clone that
            if info.language in LANGUAGES:
                self.language.value = info.language

    def _on_undo_clean(self):
        """The results panel's undo: clone the same reference again, as recorded."""
        self.enhance.value = "off"  # the button appears only once a clone is shown, so no click waits behind one
        return self.clone(tweaked=self.results.result is not None
                                   and self.results.result.reference is not self.recorder.clip)

    def _on_clip(self, clip):
        info = self._reference_info(clip)
        lang = info.language if info is not None else None
        self.accent.options = _accent_options(lang if lang in LANGUAGES else None)
        self.accent.value = "native"
        report = self.card.set_clip(clip)
        if report is None:
            self.status.value = error_html("This recording cannot be cloned (see the report card): "
                                           "record again or pick an example.")
        else:
            self.status.value = info_html(f"Reference ready ({clip.duration_s:.1f} s). Type a text and press Clone.")
        if self.tweaker is not None:
            self.tweaker.set_clip(clip)

    def _on_text(self, change=None):
        n = len(self.text.value.strip())
        if n > MAX_TEXT_CHARS:
            self.counter.value = error_html(f"{n} / {MAX_TEXT_CHARS} characters: too long, shorten it")
        else:
            self.counter.value = f"<span class='vcl-count'>{n} / {MAX_TEXT_CHARS} characters</span>"

    def _on_open_tweaker(self, change):
        if change["new"] is None or self.tweaker is not None:
            return
        if self.recorder.clip is None:
            self.tweak_box.children = [widgets.HTML(info_html("Choose a reference first (section 1)."))]
            self.tweak_section.selected_index = None
            return
        from .tweaker import ReferenceTweaker

        try:
            self.tweaker = ReferenceTweaker(self.recorder.clip, spectrogram=False)
        except ToolkitError as exc:
            self.tweak_box.children = [widgets.HTML(error_html(_sentence(str(exc))))]
            return
        self.tweak_box.children = [self.tweaker.widget]

    def _on_record_toggle(self, change):
        if self._mic_timer is not None:
            self._mic_timer.cancel()
            self._mic_timer = None
        if change["new"]:
            self._audio_at_start = self.recorder.mic_audio
            return
        self._mic_timer = threading.Timer(MIC_TIMEOUT_S, self._check_mic)
        self._mic_timer.daemon = True
        self._mic_timer.start()

    def _on_mic_data(self, change):
        # runs after the recorder has handled the data: a blocked microphone sent only silence, say why
        if self.mic_problem:
            self.recorder.say(error_html(self.mic_problem))

    def _on_mic_error(self, change):
        name = change["new"].split(" ")[0]
        if not name:
            return
        if name in ("NotAllowedError", "SecurityError", "PermissionDeniedError"):
            what = "Your browser did not let this page use the microphone."
            fix = "Allow it (the icon in the address bar) and reload the page"
        elif name in ("NotFoundError", "OverconstrainedError"):
            what, fix = "No microphone was found.", "Plug one in and reload the page"
        else:
            what = f"The microphone could not be opened ({name})."
            fix = "Close other apps that use it and reload the page"
        self.mic_problem = f"{what} {fix}, or upload a file or pick an example instead."
        self.recorder.say(error_html(self.mic_problem))

    def _check_mic(self):
        # new data since Record was pressed, even if it came before the Stop click reached the kernel or is
        # still being decoded and checked (the counter only moves once that is done): nothing to say
        if self.recorder.mic_audio is self._audio_at_start:
            self.recorder.say(error_html(
                "No recording arrived from your microphone. Allow this page to use it (the icon in the address "
                "bar), then record again; or upload a file or pick an example instead."))


def _accent_options(reference_language):
    """The accent menu: native first, then the reference's language (when known), then every other language."""
    opts = [("Native", "native")]
    if reference_language:
        opts.append((f"{LANGUAGES[reference_language]} (the reference's)", reference_language))
    return opts + [(name, code) for code, name in LANGUAGES.items() if code != reference_language]


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else text


def _warm_up():
    """Load the models ahead of the first clone (in a background thread; errors are left for the clone to report)."""
    import time

    time.sleep(2.0)  # let the page render first
    try:
        from ..clone.learned import get_voice_encoder
        from ..clone.voice_space import get_voice_space
        from ..embedding import get_encoder
        from .voice_map import voice_map_basis

        get_encoder()
        get_voice_encoder()
        get_voice_space()
        voice_map_basis()
    except Exception:  # pragma: no cover - reported by the first clone instead
        log.debug("warm-up failed", exc_info=True)


def build_app(*, initial_example=None, warm_up: bool = False):
    """Build the whole app; returns ``(widget, state)``.

    Parameters
    ----------
    initial_example : str, optional
        Example reference to load at start (e.g. ``"ref_good"``).
    warm_up : bool
        Load the models in a background thread (what the served app does).

    Examples
    --------
    >>> page, state = build_app()              # doctest: +SKIP
    """
    state = AppState(initial_example=initial_example, warm_up=warm_up)
    header = widgets.HTML(CSS + f"<header class='vcl-header'><h1>{TITLE}</h1><p class='vcl-intro'>{INTRO}</p>"
                          f"<div class='vcl-consent' role='note'>{CONSENT}</div></header>")
    suggestions = widgets.HBox([widgets.HTML("<span class='vcl-label'>Suggestions:</span>"), *state.suggestions])
    suggestions.add_class("vcl-suggestions")
    actions = widgets.HBox([state.clone_button, state.language, state.accent, state.like_me, state.enhance])
    actions.add_class("vcl-actions")
    page = widgets.VBox([
        header,
        _card(1, "Your reference voice", [state.recorder.widget, state.mic_error], "vcl-card-reference"),
        _card(2, "Is it a good reference?", [state.card.widget], "vcl-card-report"),
        _card(3, "What should the clone say?", [suggestions, state.text, state.counter, actions, state.status,
                                               state.progress.widget, state.delivery_figure], "vcl-card-text"),
        _card(4, "Your clone", [state.results.widget], "vcl-card-results"),
        state.tweak_section,
    ])
    page.add_class("vcl-app")
    return page, state
