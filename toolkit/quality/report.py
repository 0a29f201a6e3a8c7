"""The report card's data: one :class:`Check` per topic and the :class:`QualityReport` that ranks them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import ParameterError

__all__ = ["Check", "QualityReport", "UnusableAudioError", "CHECK_NAMES", "RANK"]

#: The checks, in the order the report lists them.
CHECK_NAMES = ("duration", "loudness", "clipping", "noise", "reverb", "speakers", "pauses", "pace", "music", "hum",
               "interruptions", "bandwidth")
#: Which problem to fix first when several are flagged (most damaging to a clone first).
PRIORITY = ("speakers", "duration", "noise", "music", "reverb", "interruptions", "hum", "bandwidth", "clipping",
            "loudness", "pauses", "pace")
#: Order of severity.
RANK = {"pass": 0, "warn": 1, "fail": 2}


class UnusableAudioError(ParameterError):
    """The clip cannot be checked at all (silent, or no speech in it)."""


@dataclass(frozen=True)
class Check:
    """One line of the report card.

    Attributes
    ----------
    name : str
        One of :data:`CHECK_NAMES`.
    status : str
        ``"pass"``, ``"warn"`` or ``"fail"``.
    value : float or None
        What was measured (``None`` when it could not be measured), in ``unit``.
    unit : str
    message : str
        What it means and what to do, in plain words.
    details : dict
        Extra numbers behind the value (for notebooks; not part of the CLI's JSON).
    events : tuple of (float, float)
        Where in the clip the problem is, as ``(start_s, end_s)`` stretches (a bang, a long pause, a clipped
        stretch, two voices at once); empty when it has no place or nothing was found.
    """

    name: str
    status: str
    value: float | None
    unit: str
    message: str
    details: dict = field(default_factory=dict, compare=False)
    events: tuple = ()

    def to_dict(self) -> dict:
        """``{"name", "status", "value", "unit", "message", "events"}``, JSON-ready (events as ``[start_s, end_s]``)."""
        v = None if self.value is None or not np.isfinite(self.value) else round(float(self.value), 4)
        return {"name": self.name, "status": self.status, "value": v, "unit": self.unit, "message": self.message,
                "events": [[round(float(a), 2), round(float(b), 2)] for a, b in self.events]}


@dataclass(frozen=True)
class QualityReport:
    """All checks of one reference, most useful tip first.

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("ref_good")                       # doctest: +SKIP
    >>> from toolkit.quality import check_reference  # doctest: +SKIP
    >>> report = check_reference(clip.y, sr=clip.sr)     # doctest: +SKIP
    >>> report.verdict                                   # doctest: +SKIP
    'pass'
    """

    checks: tuple
    duration_s: float
    elapsed_s: float = 0.0

    def __getitem__(self, name: str) -> Check:
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(f"no check called {name!r}; the checks are {', '.join(c.name for c in self.checks)}")

    @property
    def verdict(self) -> str:
        """The worst status of all checks."""
        return max((c.status for c in self.checks), key=RANK.get, default="pass")

    @property
    def ok(self) -> bool:
        """True when no check failed (the reference is usable, perhaps with tips)."""
        return self.verdict != "fail"

    @property
    def flagged(self) -> list:
        """Checks that warned or failed, most important first."""
        bad = [c for c in self.checks if c.status != "pass"]
        return sorted(bad, key=lambda c: (-RANK[c.status], PRIORITY.index(c.name) if c.name in PRIORITY else 99))

    @property
    def top_tip(self) -> str:
        """The one thing to do first."""
        bad = self.flagged
        if not bad:
            return "This reference looks good: clean, one voice, enough speech. Listen once more, then use it."
        return bad[0].message

    @property
    def statuses(self) -> dict:
        """``{name: status}``."""
        return {c.name: c.status for c in self.checks}

    def to_dict(self) -> dict:
        """The CLI's JSON: ``{"ok": bool, "checks": [{"name", "status", "value", "unit", "message", "events"}, ...]}``."""
        return {"ok": bool(self.ok), "checks": [c.to_dict() for c in self.checks]}

    def summary(self) -> str:
        """A few lines of text: verdict, top tip and one line per check."""
        lines = [f"verdict: {self.verdict}  (top tip: {self.top_tip})"]
        for c in self.checks:
            val = "n/a" if c.value is None else f"{c.value:.3g} {c.unit}"
            lines.append(f"  {c.status:4s}  {c.name:13s} {val:>14s}  {c.message}")
        return "\n".join(lines)
