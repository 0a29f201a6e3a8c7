"""Check a reference recording like an expert: is it usable for cloning, and what to fix.

:func:`check_reference` runs twelve checks and returns a :class:`QualityReport`
with one :class:`Check` per topic (``pass``/``warn``/``fail``, a measured value
with its unit, and a plain-language tip). The checks follow the usual advice
for cloning references (5-15 s of continuous speech from one speaker, in a
quiet room without echo, at a steady natural pace, neither clipped nor too
quiet) and each threshold below names where it comes from.

========  ===========================================  ===============================================
check     measure                                      thresholds (warn / fail) and source
========  ===========================================  ===============================================
duration  seconds of speech (intensity-based segments  warn < 5 s or > 30 s (speech or file); fail
          from :func:`toolkit.analysis.rhythm`)        when the file is under 3 s or the measured
                                                       speech under 2.5 s (≈ 3 s of talking): the 5-15 s
                                                       target of cloning guides; under 3 s a speaker
                                                       embedding is unreliable (GE2E, Wan et al. 2018,
                                                       evaluates on 1.6 s partials averaged over a clip;
                                                       notebook 04 plots the curve)
loudness  integrated loudness, ITU-R BS.1770-4 (LUFS)  warn < -38 LUFS (15 LU under EBU R 128's -23 LUFS
                                                       target), fail < -55 LUFS (speech near the noise
                                                       floor of 16-bit capture); warn > -10 LUFS (louder
                                                       than any broadcast/streaming target: limited)
clipping  % of samples on flat tops at the peak (runs  warn > 0.01 %, fail > 0.1 %: clean speech hits
          of >= 3 equal samples within 0.1 % of the    its peak on isolated samples (0.000 % on all 26
          peak)                                        clips of our real set)
noise     WADA-SNR (Kim & Stern 2008), and the DNSMOS  SNR: warn < 20 dB, fail < 10 dB; BAK: warn < 3
          P.835 background score BAK (Reddy et al.     ("noticeable"), fail < 2 ("intrusive") on the
          2022) from the ``speechmos`` ONNX model      ITU-T P.835 background scale
reverb    blind RT60 from the decay rates of speech    warn >= 0.6 s (ANSI S12.60 / DIN 18041 limit for
          offsets in four bands, noise-compensated     rooms meant for speech), fail >= 1.0 s (halls,
          (after Ratnam et al. 2003, Löllmann et al.   stairwells); not judged past warn when the SNR is
          2010); calibrated on synthetic rooms         under 10 dB (noise hides the decays)
speakers  5th percentile of the GE2E similarity of     warn < 0.60, fail < 0.45: one speaker's 2.4 s
          non-overlapping 2.4 s windows                windows agree at 0.66-0.84 on our real set, two
                                                       speakers' at 0.3-0.6 (Wan et al. 2018)
pauses    longest silent gap inside the speech         warn > 1.0 s, fail > 2.5 s: "long" pauses start at
                                                       1 s (Campione & Véronis 2002)
pace      fastest / slowest local speaking rate        warn >= 2x (never fail: syllable counts from
          (syllable nuclei per second in 3 s stretches the signal are rough, ±1-2 per stretch); clean
          of speech, de Jong & Wempe 2009)             read speech stays under 1.7x on our real set
music     tonal power (spectral peaks > 10 dB over a   warn >= -26 dB (references: -77 to -28 dB; jazz at
          9-bin median) in the quietest 30 % of        5 dB SNR: -30 to -24); not judged under echo
          frames, re the speech frames' power
hum       mains lines (50/60 Hz, 2nd, 3rd harmonic)    warn >= -25 dB, fail >= -15 dB re the recording
          in 1 s spectra, less their surroundings,     (references: -26 dB and under; hum at 20 dB SNR:
          25th percentile over the frames, re the      -19.7 to -23.3 dB); or prominence warn >= 20 dB,
          clip's power; prominence of the line over    fail >= 30 dB (references: 3-18 dB); rumble warn
          8-25 Hz around it in the pauses; rumble =    >= -12 dB (references: -47 to -17 dB)
          power share under 60 Hz
interr-   noise-like frames (flatness > 0.3) louder    warn on any event (references' loudest noise-like
uptions   than -3 dB re the 95th-percentile frame,     frames: -31 to -10 dB; a bang at the voice's peak:
          in events of at most 2 s; whistles (one      -2 to +5 dB); whistles: references -13 dB and
          tone over 4 kHz with half of 4-7.8 kHz's     under, a robin at half the voice's peak -7 to -1
          power) louder than -9 dB; times reported
bandwidth highest frequency within 50 dB of the        fail < 4.5 kHz (telephone, ITU-T G.712: 3.4 kHz),
          long-term speech spectrum's peak             warn < 6 kHz (references: 6.8-8 kHz)
========  ===========================================  ===============================================

Two voices *at the same time* are reported under ``speakers`` (warn) by an overlap score: the pitch-track score
(:func:`toolkit.quality.clinic.overlap_evidence`: pitch jumps of more than a quarter octave in 10 ms, plus the
voiced share of the speech time) plus 12 x (0.80 - the median GE2E similarity of the clip's non-overlapping
2.4 s windows), :func:`toolkit.quality.checks.overlap_score`; warn >= 2.2 (one voice: 0.7-2.0 on the
references, man+woman mixtures 2.35-5.9; the weight from a logistic fit on them), not judged under echo. Clips
too short for 3 such pairs use windows that overlap by half instead, 6 x (0.80 - their median), set the same way
on references cropped to 5-5.5 s (``OVERLAP_SHORT_*`` in :mod:`toolkit.quality.checks`). Findings
with a time (a bang, a whistle, a long pause, a clipped stretch, two voices at once, odd speaker windows) carry
``Check.events`` and the report card marks them on the spectrogram. All thresholds of the last four checks and
of the overlap score were set on the references and faults made from them; ``benchmarks/clinic_table.py --role
heldout`` checks them on clips never used for that.

Limits (measured on the real set with :mod:`toolkit.effects`, see ``tests/test_quality.py`` and
``docs/benchmarks.md``): a second voice that joins in, interrupts or takes turns is caught (the windows stop
agreeing); a second voice talking *all the time* is caught by the overlap score on man-and-woman mixtures, but
a tune (and sometimes a bird's call) raises it too, so music can warn under ``speakers``. Quiet music (10 dB
under the voice and less) hides between the words and is left to the noise check; a whistle a quarter of the
voice's peak is caught on about half the clips, and none over a phone line. Echo and noise partly mask each
other: heavy reverberation also lowers the blind SNR, and heavy noise hides the decays the echo estimate needs.

Everything runs on numpy, onnxruntime and Praat (no torch import: the GE2E
encoder is run by :mod:`toolkit._ge2e_numpy`), so ``python -m toolkit check``
on a 15 s clip finishes in a few seconds including model loading
(``benchmarks/bench_check.py``).

Taught in ``notebooks/04_reference_audio.ipynb``.
"""


from .checks import SILENCE_PEAK_DBFS, check_reference
from . import clinic
from .measures import (blind_rt60, clipped_stretches, clipping_percent, dnsmos, loudness_lufs_fast, pace_spread, speaker_consistency,
                       wada_snr, wada_table)
from .report import CHECK_NAMES, Check, QualityReport, UnusableAudioError

__all__ = ["Check", "QualityReport", "UnusableAudioError", "check_reference", "CHECK_NAMES", "wada_snr", "wada_table",
           "dnsmos", "blind_rt60", "loudness_lufs_fast", "clipping_percent", "speaker_consistency",
           "pace_spread", "SILENCE_PEAK_DBFS", "clipped_stretches", "clinic"]
