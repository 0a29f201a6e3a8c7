"""Report card and reference tweaker: build each panel, move a slider, check that the checks re-ran.

The update times are printed (run with ``-s``): an update re-runs every check on the tweaked clip.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from toolkit.audio import Clip, load  # noqa: E402
from toolkit.ui.report_card import ReportCard, report_card_html, side_by_side  # noqa: E402
from toolkit.quality.report import RANK  # noqa: E402
from toolkit.ui.tweaker import ReferenceTweaker, settings_to_kwargs  # noqa: E402

SR = 16000


@pytest.fixture(scope="module")
def speech(speech_manifest):
    r = next(r for r in speech_manifest if r["file"].startswith("librispeech_1998__ref"))
    y, _ = load(r["path"], sr=SR)
    return Clip(y[: 8 * SR], SR, name="1998", source="file")


@pytest.fixture(scope="module")
def other(speech_manifest):
    r = next(r for r in speech_manifest if r["file"].startswith("librispeech_2033__ref"))
    y, _ = load(r["path"], sr=SR)
    return Clip(y, SR, name="2033", source="file")


@pytest.fixture(scope="module")
def music(speech_dir):
    path = speech_dir.parent / "sounds" / "music_jazz_vibe_ace.wav"
    if not path.exists():
        pytest.skip(f"{path} not found")
    y, _ = load(path, sr=SR)
    return Clip(y, SR, name="Vibe Ace", source="file")


@pytest.fixture(scope="module")
def tweaker(speech, other, music):
    seen = []
    tw = ReferenceTweaker(speech, other=other, music=music, on_change=seen.append, spectrogram=True)
    tw.seen = seen
    return tw


def _move(panel, control, value):
    n = panel.n_updates
    control.value = value
    assert panel.n_updates == n + 1
    print(f"{control.description} = {value}: update {panel.last_update_s:.2f} s")
    return panel.card.report


def test_report_card_builds_and_shows_every_check(speech):
    card = ReportCard(speech)
    assert card.report is not None and card.report.ok
    assert card.last_png.startswith(b"\x89PNG")
    for name in ("duration", "loudness", "clipping", "noise", "reverb", "speakers", "pauses", "pace", "music", "hum",
                 "interruptions", "bandwidth"):
        assert f"data-check='{name}'" in card.table.value
    print(f"report card update: {card.last_update_s:.2f} s")


def test_report_card_shows_unusable_clip_as_error():
    card = ReportCard(Clip(np.zeros(SR, np.float32), SR, name="silence"), spectrogram=False)
    assert card.report is None and "silence" in card.table.value and "vcl-error" in card.table.value


def test_report_card_html_lists_verdict_and_tip(speech):
    from toolkit.quality import check_reference

    rep = check_reference(speech.y, sr=SR, checks=["duration", "clipping"])
    out = report_card_html(rep, title="mine")
    assert rep.top_tip.split(":")[0] in out and "PASS" in out


def test_tweaker_starts_clean(tweaker):
    assert tweaker.card.report.ok and tweaker.tweaked_clip is not None
    assert len(tweaker.seen) >= 1 and tweaker.seen[-1] is tweaker.tweaked_clip


def test_noise_slider_reruns_checks(tweaker):
    rep = _move(tweaker, tweaker.noise, 3.0)
    assert rep["noise"].status in ("warn", "fail")
    tweaker.set_values()
    assert tweaker.card.report["noise"].status == "pass"


def test_reverb_slider_reruns_checks(tweaker):
    rep = _move(tweaker, tweaker.reverb, 1.4)
    assert rep["reverb"].status in ("warn", "fail")
    tweaker.set_values()


def test_clipping_and_volume_sliders(tweaker):
    rep = _move(tweaker, tweaker.drive, 12.0)
    assert rep["clipping"].status == "fail"
    tweaker.set_values()
    rep = _move(tweaker, tweaker.gain, -40.0)
    assert rep["loudness"].status in ("warn", "fail")
    tweaker.set_values()


def test_trim_slider_flags_duration(tweaker):
    rep = _move(tweaker, tweaker.trim, (1.0, 3.0))
    assert rep["duration"].status == "fail"
    assert abs(tweaker.tweaked_clip.duration_s - 2.0) < 0.01
    tweaker.set_values()


def test_speed_slider_changes_length(tweaker):
    before = tweaker.tweaked_clip.duration_s
    _move(tweaker, tweaker.speed, 1.5)
    assert abs(tweaker.tweaked_clip.duration_s - before / 1.5) < 0.1
    tweaker.set_values()


def test_on_change_hook_gets_the_tweaked_clip(tweaker):
    n = len(tweaker.seen)
    tweaker.set_values(noise_snr_db=10.0, rt60_s=0.5)
    assert len(tweaker.seen) == n + 1
    clip = tweaker.seen[-1]
    assert isinstance(clip, Clip) and clip.sr == SR and not np.allclose(clip.y, tweaker.clip.y)
    tweaker.set_values()


def test_settings_to_kwargs_leaves_steps_out():
    kw = settings_to_kwargs({"noise_snr_db": 40.0, "rt60_s": 0.0, "voice_level_db": -30.0, "drive_db": 0.0,
                             "speed": 1.0, "gain_db": 0.0, "trim_s": (0.0, 3.0)})
    assert kw["noise_snr_db"] is None and kw["rt60_s"] is None and kw["voice_level_db"] is None


def test_unknown_setting_rejected(tweaker):
    from toolkit.errors import ToolkitError

    with pytest.raises(ToolkitError, match="unknown setting"):
        tweaker.set_values(echo=3)


def test_side_by_side_builds(speech):
    box = side_by_side([speech, Clip(speech.y[: 2 * SR], SR, name="short")])
    assert len(box.children) == 2


def test_new_fault_controls(tweaker):
    rep = _move(tweaker, tweaker.phone, True)
    assert rep["bandwidth"].status == "fail"
    tweaker.set_values()
    rep = _move(tweaker, tweaker.bang, True)
    c = rep["interruptions"]
    assert c.status == "warn" and len(c.events) == 1 and abs(c.events[0][0] - 4.0) < 0.1
    assert "data-events='1'" in tweaker.card.table.value and "marked on the spectrogram" in tweaker.card.table.value
    tweaker.set_values()
    clean = ReportCard(tweaker.clip, spectrogram=False).report
    rep = _move(tweaker, tweaker.hum, 10.0)  # this clip's own background hides softer hum (see docs/benchmarks.md)
    assert rep["hum"].status in ("warn", "fail") and rep["hum"].value > clean["hum"].value + 6
    tweaker.set_values()
    rep = _move(tweaker, tweaker.music, 3.0)
    assert any(RANK[c.status] > RANK[clean[c.name].status] for c in rep.checks), rep.summary()
    tweaker.set_values()


def test_report_events_are_drawn(speech):
    import matplotlib.pyplot as plt

    from toolkit import effects as fx
    from toolkit.plot import plot_reference_check, plot_report_events
    from toolkit.quality import check_reference

    y = fx.add_bang(speech.y, sr=SR, at_s=3.0)
    rep = check_reference(y, sr=SR)
    fig, ax = plt.subplots()
    plot_reference_check(y, sr=SR, report=rep, ax=ax)
    marks = plot_report_events(rep, ax=ax)
    assert ("interruptions", 3.0, marks[0][2]) in marks or any(m[0] == "interruptions" and abs(m[1] - 3.0) < 0.05
                                                              for m in marks)
    plt.close(fig)


def test_tweaker_without_music_disables_the_slider(speech, other, monkeypatch):
    import toolkit.ui.tweaker as tw_mod

    monkeypatch.setattr(tw_mod, "MUSIC_KEY", "no_such_clip")
    tw = ReferenceTweaker(speech, other=other, spectrogram=False)
    assert tw.music.disabled
    with pytest.raises(Exception, match="no_such_clip"):
        tw.set_values(music_snr_db=5.0)
