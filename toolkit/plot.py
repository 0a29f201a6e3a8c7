"""Plot helpers: one contract for all of them.

Every ``plot_*`` function takes ``ax=None`` (it makes a new figure only when no
axes is given), draws on one axes, and returns what it drew (the axes, or the
artist the caller may want: an image for a colour bar, a line to update). None
of them calls ``plt.show()``.

matplotlib is imported inside the functions, so ``import toolkit.plot`` is cheap.

Taught in ``notebooks/01_spectrograms.ipynb`` and ``notebooks/03_prosody.ipynb``.
"""

from __future__ import annotations

import numpy as np

from .errors import ParameterError

__all__ = ["plot_waveform", "plot_spectrogram", "plot_f0", "plot_formants", "plot_pauses", "plot_intensity",
           "plot_prosody", "plot_frames", "plot_transfer_curves", "plot_voice_map", "plot_stage_similarity",
           "plot_delivery"]


def _axes(ax, figsize=(9, 3)):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def plot_waveform(y, *, sr, ax=None, color="C0", label=None, offset_s: float = 0.0):
    """Waveform against time.

    Returns
    -------
    matplotlib.lines.Line2D

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("tone_a3")
    >>> line = plot_waveform(clip.y, sr=clip.sr)
    """
    y = np.asarray(y)
    if y.ndim != 1:
        raise ParameterError(f"plot_waveform needs a 1-D waveform, got shape {y.shape}")
    ax = _axes(ax)
    t = offset_s + np.arange(len(y)) / float(sr)
    step = max(1, len(y) // 20000)  # a screen cannot show more; keep drawing fast
    (line,) = ax.plot(t[::step], y[::step], color=color, lw=0.6, label=label)
    ax.set_xlim(t[0] if len(t) else 0, t[-1] if len(t) else 1)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("amplitude")
    return line


def plot_frames(y, *, sr, frame_length: int, hop_length: int, n_frames: int = 4, ax=None):
    """A waveform with the first ``n_frames`` analysis windows drawn over it (how an STFT cuts sound).

    Returns the list of window patches.
    """
    ax = _axes(ax)
    plot_waveform(y, sr=sr, ax=ax, color="0.4")
    patches = []
    for i in range(n_frames):
        a = i * hop_length / sr
        patches.append(ax.axvspan(a, a + frame_length / sr, color=f"C{i % 10}", alpha=0.18))
    return patches


def plot_spectrogram(spec, *, ax=None, cmap="magma", vmin=None, colorbar: bool = False, fmax_hz: float | None = None):
    """Draw a :class:`toolkit.analysis.Spectrogram` (STFT on a linear axis, mel bands by index on a mel axis).

    Returns
    -------
    matplotlib.collections.QuadMesh

    Examples
    --------
    >>> from toolkit.media import example
    >>> from toolkit.analysis import stft_db
    >>> clip = example("vowel_a_150")
    >>> mesh = plot_spectrogram(stft_db(clip.y, sr=clip.sr), fmax_hz=4000)
    """
    S = getattr(spec, "S_db", None)
    if S is None or np.asarray(S).ndim != 2:
        raise ParameterError("plot_spectrogram needs a Spectrogram from toolkit.analysis.stft_db or mel_spectrogram_db")
    ax = _axes(ax)
    t = spec.times_s
    hop_s = spec.hop_length / spec.sr
    t_edges = np.concatenate([t - hop_s / 2, [t[-1] + hop_s / 2]]) if len(t) else np.array([0, hop_s])
    vmin = S.max() - 80 if vmin is None else vmin
    if spec.kind == "mel":
        edges = np.arange(S.shape[0] + 1) - 0.5
        mesh = ax.pcolormesh(t_edges, edges, S, cmap=cmap, vmin=vmin, shading="flat", rasterized=True)
        ticks = np.linspace(0, S.shape[0] - 1, 6).round().astype(int)
        ax.set_yticks(ticks, [f"{spec.freqs_hz[i]:.0f}" for i in ticks])
        ax.set_ylabel("mel band centre (Hz)")
    else:
        f = spec.freqs_hz
        df = f[1] - f[0] if len(f) > 1 else 1.0
        f_edges = np.concatenate([f - df / 2, [f[-1] + df / 2]])
        mesh = ax.pcolormesh(t_edges, f_edges, S, cmap=cmap, vmin=vmin, shading="flat", rasterized=True)
        ax.set_ylim(0, fmax_hz or f[-1])
        ax.set_ylabel("frequency (Hz)")
    ax.set_xlabel("time (s)")
    if colorbar:
        ax.figure.colorbar(mesh, ax=ax, label="level (dB)")
    return mesh


def plot_f0(track, *, ax=None, color="cyan", label="F0", semitones: bool = False, ref_hz: float = 100.0, lw=1.8):
    """F0 contour (:class:`toolkit.analysis.F0Track`), gaps where unvoiced; in Hz or semitones re ``ref_hz``.

    Draw it on a spectrogram's axes to overlay pitch on the harmonics.

    Returns
    -------
    matplotlib.lines.Line2D
    """
    if not hasattr(track, "f0_hz"):
        raise ParameterError("plot_f0 needs an F0Track from toolkit.analysis.estimate_f0")
    ax = _axes(ax)
    f0 = np.asarray(track.f0_hz, dtype=float)
    values = 12 * np.log2(f0 / ref_hz) if semitones else f0
    (line,) = ax.plot(track.times_s, values, color=color, lw=lw, label=label)
    if ax.get_ylabel() == "":
        ax.set_ylabel(f"F0 (semitones re {ref_hz:g} Hz)" if semitones else "F0 (Hz)")
        ax.set_xlabel("time (s)")
    return line


def plot_formants(track, *, ax=None, colors=("white", "lime", "deepskyblue"), voiced_times_s=None, size=4):
    """Formant tracks (:class:`toolkit.analysis.FormantTrack`) as dots, optionally only at voiced times.

    Returns
    -------
    list of matplotlib.collections.PathCollection
        One scatter per formant.
    """
    if not hasattr(track, "formants_hz"):
        raise ParameterError("plot_formants needs a FormantTrack from toolkit.analysis.estimate_formants")
    ax = _axes(ax)
    t, F = track.times_s, track.formants_hz
    keep = np.ones(len(t), dtype=bool)
    if voiced_times_s is not None and len(t):
        keep[:] = False
        idx = np.clip(np.searchsorted(t, np.asarray(voiced_times_s)), 0, len(t) - 1)
        keep[idx] = True
    drawn = []
    for k in range(F.shape[1]):
        drawn.append(ax.scatter(t[keep], F[keep, k], s=size, color=colors[k % len(colors)], label=f"F{k + 1}"))
    return drawn


def plot_pauses(pauses, *, ax=None, color="0.5", alpha=0.3):
    """Shade pauses (from :func:`toolkit.analysis.find_pauses`) on an axes. Returns the patches."""
    ax = _axes(ax)
    return [ax.axvspan(p.start_s, p.start_s + p.duration_s, color=color, alpha=alpha, lw=0) for p in pauses]


def plot_intensity(contour, *, ax=None, color="C1", label="intensity"):
    """Intensity contour (:class:`toolkit.analysis.Intensity`) in dB. Returns the line."""
    ax = _axes(ax)
    (line,) = ax.plot(contour.times_s, contour.level_db, color=color, lw=1.2, label=label)
    ax.set_ylabel("level (dB)")
    ax.set_xlabel("time (s)")
    return line


def plot_prosody(y, *, sr, ax=None, f0_track=None, pauses=None, nuclei_s=None, title=None):
    """Prosody at a glance: F0 contour (semitones re 100 Hz) over the intensity, pauses shaded, syllables ticked.

    With ``ax=None`` a figure with two stacked axes is made. Returns a dict of
    what was drawn: ``axes`` (pitch, intensity), ``f0`` line, ``intensity`` line,
    ``nuclei`` (tick lines) and ``pauses`` (patches).

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("sweep_100_400")
    >>> drawn = plot_prosody(clip.y, sr=clip.sr)
    >>> sorted(drawn)
    ['axes', 'f0', 'intensity', 'nuclei', 'pauses']
    """
    from .analysis import estimate_f0, find_pauses, intensity_db, syllable_nuclei

    if ax is None:
        import matplotlib.pyplot as plt

        _, (ax_f0, ax_int) = plt.subplots(2, 1, figsize=(9, 4), sharex=True, layout="constrained",
                                          gridspec_kw={"height_ratios": [2, 1]})
    elif isinstance(ax, (tuple, list, np.ndarray)):
        ax_f0, ax_int = ax[0], ax[1]
    else:
        ax_f0, ax_int = ax, ax.twinx()
    track = f0_track if f0_track is not None else estimate_f0(y, sr=sr)
    pauses = find_pauses(y, sr=sr) if pauses is None else pauses
    nuclei_s = syllable_nuclei(y, sr=sr, f0_track=track) if nuclei_s is None else nuclei_s
    f0_line = plot_f0(track, ax=ax_f0, color="C0", semitones=True)
    ax_f0.set_ylabel("F0 (st re 100 Hz)")
    ax_f0.set_xlabel("")
    inten = plot_intensity(intensity_db(y, sr=sr), ax=ax_int, color="C1")
    lo = np.percentile(inten.get_ydata(), 99) - 50
    ax_int.set_ylim(bottom=lo)
    ticks = [ax_int.axvline(t, color="C3", lw=0.8, alpha=0.7) for t in nuclei_s]
    patches = plot_pauses(pauses, ax=ax_f0) + plot_pauses(pauses, ax=ax_int)
    ax_f0.set_xlim(0, len(y) / sr)
    if title:
        ax_f0.set_title(title)
    return {"axes": (ax_f0, ax_int), "f0": f0_line, "intensity": inten, "nuclei": ticks, "pauses": patches}


def plot_transfer_curves(curves, *, ax=None, table=None, title=None):
    """The own-voice model's paths: air, bone and their mix, in dB against log frequency.

    Parameters
    ----------
    curves : toolkit.conduction.TransferCurves
        From :func:`toolkit.conduction.transfer_curves`.
    table : toolkit.conduction.TransferCurves or None
        Optionally the documented table (:func:`toolkit.conduction.gain_table`), drawn as dots on the mix.

    Returns
    -------
    dict
        ``air``, ``bone``, ``mixed`` lines and ``table`` (dots or None).

    Examples
    --------
    >>> from toolkit.conduction import transfer_curves
    >>> drawn = plot_transfer_curves(transfer_curves(sr=16000))
    >>> sorted(drawn)
    ['air', 'bone', 'mixed', 'table']

    Taught in ``notebooks/02_bone_vs_air.ipynb``.
    """
    if not hasattr(curves, "mixed_db"):
        raise ParameterError("plot_transfer_curves needs TransferCurves from toolkit.conduction.transfer_curves")
    ax = _axes(ax, figsize=(7, 3))
    f = curves.freqs_hz
    (air,) = ax.semilogx(f, curves.air_db, color="C0", lw=1.5, label="air path (mouth → ear, around the head)")
    bone_db = np.where(np.isfinite(curves.bone_db), curves.bone_db, np.nan)
    (bone,) = ax.semilogx(f, bone_db, color="C3", lw=1.5, label="bone path (skull)")
    (mixed,) = ax.semilogx(f, curves.mixed_db, color="k", lw=2.2, label="what you hear (mix)")
    dots = None
    if table is not None:
        dots = ax.scatter(table.freqs_hz, table.mixed_db, color="k", s=14, zorder=3, label="table values")
    ax.axhline(0, color="0.6", lw=0.8, ls=":")
    finite = np.concatenate([curves.air_db, curves.mixed_db, bone_db[np.isfinite(bone_db)]])
    ax.set_ylim(max(finite.min() - 3, -45), finite.max() + 3)
    ax.set_xlim(f[0], f[-1])
    ax.set_xlabel("frequency (Hz)")
    ax.set_ylabel("gain re recording (dB)")
    state = f"bone mix {curves.bone_mix:.1f}, ears {'plugged' if curves.occlusion else 'open'}"
    ax.set_title(title or f"Hearing your own voice: {state}", fontsize=10)
    ax.legend(fontsize=8, loc="best")
    return {"air": air, "bone": bone, "mixed": mixed, "table": dots}


def plot_voice_map(background, *, voices=None, ax=None, title="Voices on a 2-D map of GE2E embeddings"):
    """Scatter a 2-D voice map: grey dots for many voices, labelled markers for the ones that matter.

    Parameters
    ----------
    background : np.ndarray [shape=(n, 2)]
        Points of many voices (e.g. sampled Kokoro voices), from :func:`toolkit.embedding.project_2d`.
    voices : dict or None
        Label → ``(points (m, 2), marker, color)`` for highlighted groups (reference, shipped voices, clone, ...).

    Returns
    -------
    dict
        ``"background"`` and each label → the artist drawn.

    Taught in ``notebooks/05_zero_shot_cloning.ipynb``.
    """
    ax = _axes(ax, figsize=(6, 5))
    bg = np.asarray(background, float)
    drawn = {"background": ax.scatter(bg[:, 0], bg[:, 1], s=8, color="0.75", label="sampled Kokoro voices")}
    for label, (pts, marker, color) in (voices or {}).items():
        pts = np.atleast_2d(np.asarray(pts, float))
        drawn[label] = ax.scatter(pts[:, 0], pts[:, 1], s=90 if marker == "*" else 45, marker=marker, color=color,
                                  edgecolor="k", linewidth=0.5, label=label, zorder=3)
    ax.set_xlabel("map axis 1 (PCA)")
    ax.set_ylabel("map axis 2 (PCA)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="best")
    return drawn


def plot_stage_similarity(similarity, *, ax=None, same_speaker=0.9, title="Similarity to the reference, stage by stage"):
    """Bar chart of speaker similarity after each stage, with a line where real same-speaker pairs sit.

    Parameters
    ----------
    similarity : dict
        Stage label → cosine similarity.

    Returns
    -------
    matplotlib.container.BarContainer

    Taught in ``notebooks/05_zero_shot_cloning.ipynb``.
    """
    if not similarity:
        raise ParameterError("plot_stage_similarity needs at least one stage")
    ax = _axes(ax, figsize=(7, 3))
    labels, values = list(similarity), [float(v) for v in similarity.values()]
    bars = ax.bar(labels, values, color=["C7" if v < 0.6 else ("C1" if v < 0.75 else "C2") for v in values])
    for b, v in zip(bars, values):
        ax.text(b.get_x() + b.get_width() / 2, v + 0.01, f"{v:.2f}", ha="center", fontsize=8)
    if same_speaker:
        ax.axhline(same_speaker, color="k", ls=":", lw=1)
        ax.text(len(labels) - 0.5, same_speaker + 0.01, "same speaker, two recordings", ha="right", fontsize=7)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("GE2E cosine similarity")
    ax.set_title(title, fontsize=10)
    ax.tick_params(axis="x", labelsize=8)
    return bars



# --- reference clinic (notebook 04) ---------------------------------------------------------------

_LIGHTS = {"pass": "#2e9d48", "warn": "#e6a100", "fail": "#d0312d"}


def plot_report_card(report, *, ax=None, title=None):
    """Traffic lights of a :class:`toolkit.quality.QualityReport`: one row per check, its value and status.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from toolkit.media import example
    >>> from toolkit.quality import check_reference
    >>> clip = example("vowel_a_150")
    >>> ax = plot_report_card(check_reference(clip.y, sr=clip.sr, checks=["duration", "clipping"]))
    """
    checks = list(getattr(report, "checks", ()))
    if not checks:
        raise ParameterError("plot_report_card needs a QualityReport from toolkit.quality.check_reference")
    ax = _axes(ax, figsize=(6, 0.4 * len(checks) + 0.6))
    n = len(checks)
    for i, c in enumerate(checks):
        row = n - 1 - i
        ax.scatter([0.03], [row], s=220, color=_LIGHTS.get(c.status, "0.5"), edgecolor="0.2", zorder=3)
        val = "n/a" if c.value is None else f"{c.value:.3g} {c.unit}"
        ax.text(0.08, row, c.name, va="center", fontsize=10, fontweight="bold")
        ax.text(0.36, row, val, va="center", fontsize=10)
        ax.text(0.66, row, c.status, va="center", fontsize=10, color=_LIGHTS.get(c.status, "0.3"))
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.7, n - 0.3)
    ax.axis("off")
    ax.set_title(title or f"verdict: {report.verdict}", fontsize=10, loc="left")
    return ax


def plot_report_events(report, *, ax=None, y_frac: float = 0.9):
    """Mark where the report's findings are (each flagged check's ``events``): a band coloured by its status
    over the time axis and the check's name above it (a bang at 4.2 s, a long pause, two voices at once).

    Returns
    -------
    list of (str, float, float)
        ``(check, start_s, end_s)`` of every marked stretch.
    """
    ax = _axes(ax)
    marked = []
    lo, hi = ax.get_ylim()
    for c in getattr(report, "checks", ()):
        if c.status == "pass":
            continue
        for a, b in c.events:
            b = max(b, a + 0.05)  # a click of 10 ms would not show
            ax.axvspan(a, b, color=_LIGHTS[c.status], alpha=0.35, lw=1.5, ec=_LIGHTS[c.status])
            ax.text(a, lo + y_frac * (hi - lo), c.name, fontsize=7, color="white", va="top",
                    bbox={"boxstyle": "round,pad=0.15", "fc": _LIGHTS[c.status], "ec": "none", "alpha": 0.9})
            marked.append((c.name, float(a), float(b)))
    return marked


def plot_reference_check(y, *, sr, report=None, ax=None, fmax_hz: float = 6000.0):
    """Spectrogram of a reference with what the checks saw: long pauses shaded, clipped samples marked, the
    speaker-consistency of each window (the ``speakers`` check's details) as a white curve on a second axis, and
    every flagged finding that has a time (:func:`plot_report_events`) as a coloured band with its check's name.

    Returns
    -------
    matplotlib.axes.Axes
        The spectrogram's axes.
    """
    from .analysis import stft_db
    from .analysis.rhythm import find_pauses

    y = np.asarray(y, np.float32)
    ax = _axes(ax, figsize=(9, 3))
    plot_spectrogram(stft_db(y, sr=sr), ax=ax, fmax_hz=min(fmax_hz, sr / 2))
    for p in find_pauses(y, sr=sr, min_pause_s=1.0):
        ax.axvspan(p.start_s, p.end_s, color="white", alpha=0.25, lw=0)
    peak = float(np.max(np.abs(y))) if len(y) else 0.0
    if peak > 0:
        hits = np.flatnonzero(np.abs(y) >= 0.999 * peak) / sr
        if 3 <= len(hits) <= 20000:
            ax.plot(hits, np.full(len(hits), 0.97 * min(fmax_hz, sr / 2)), "v", color="red", ms=3, ls="none")
    if report is not None:
        plot_report_events(report, ax=ax)
        try:
            info = report["speakers"].details
        except KeyError:
            info = {}
        t, s = info.get("times_s", []), info.get("similarity_to_clip", [])
        if len(t):
            ax2 = ax.twinx()
            ax2.plot(t, s, color="white", lw=1.5, marker="o", ms=3)
            ax2.set_ylim(0, 1)
            ax2.set_ylabel("voice similarity", fontsize=8)
        ax.set_title(f"verdict: {report.verdict}: {report.top_tip}"[:110], fontsize=9, loc="left")
    return ax


__all__ += ["plot_report_card", "plot_reference_check", "plot_report_events"]


def plot_delivery(transfer, *, ax=None, title="Pitch contours: your recording, the clone before and after"):
    """"Say it like me": the reference's pitch contour with the clone's before and after the transfer.

    All three in semitones around each contour's own median (the voices keep their pitch levels; what is
    compared is the melody), on the reference's time axis: the clone *before* is stretched evenly to the
    reference's length, *after* is what :func:`toolkit.clone.delivery.transfer_delivery` gave it.

    Parameters
    ----------
    transfer : toolkit.clone.delivery.DeliveryTransfer

    Returns
    -------
    dict
        ``{"reference", "before", "after"}`` → matplotlib Line2D.
    """
    if not hasattr(transfer, "target_f0_hz"):
        raise ParameterError("plot_delivery needs a DeliveryTransfer from toolkit.clone.delivery.transfer_delivery")
    ax = _axes(ax)

    def st(f0):
        f0 = np.asarray(f0, float)
        return 12 * np.log2(f0 / np.nanmedian(f0)) if np.isfinite(f0).any() else f0

    stretch = transfer.reference_speech_s / max(transfer.clone_speech_s, 1e-9)
    lines = {
        "reference": ax.plot(transfer.times_s, st(transfer.reference_f0_hz), color="0.25", lw=3.0, alpha=0.55,
                             label=f"your recording (median {transfer.reference_median_f0_hz:.0f} Hz)")[0],
        "before": ax.plot(transfer.clone_times_s * stretch, st(transfer.clone_f0_hz), color="C0", lw=1.3, ls="--",
                          label="clone before (stretched evenly)")[0],
        "after": ax.plot(transfer.times_s, st(transfer.target_f0_hz), color="C3", lw=1.6,
                         label=f"clone after (median {transfer.clone_median_f0_hz:.0f} Hz kept)")[0],
    }
    ax.axhline(0, color="0.7", lw=0.8)
    ax.set_xlabel("time in your recording (s)")
    ax.set_ylabel("F0 (semitones re median)")
    ax.legend(loc="upper right", fontsize=8)
    if title:
        ax.set_title(title)
    return lines
