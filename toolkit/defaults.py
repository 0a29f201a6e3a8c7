"""Settings shared across the toolkit, in one place, with their units in the names and their sources.

Thresholds that belong to one topic only (a quality check's pass and warn
levels, the conduction model's curves) live in that topic's module next to
their sources; this module holds every value that more than one module uses,
so a change made here reaches all of them.

Examples
--------
>>> ANALYSIS_SR_HZ, TTS_SR_HZ
(16000, 24000)
>>> REFERENCE_MIN_S <= REFERENCE_MAX_S
True
"""

# --- sample rates ---------------------------------------------------------------------------------

#: Sample rate the analysis, the quality checks and the speaker encoder work at (Hz). Speech below
#: 8 kHz carries everything we measure; 16 kHz is also what the GE2E speaker encoder was trained on
#: (Wan et al. 2018; Resemblyzer's ``sampling_rate``).
ANALYSIS_SR_HZ = 16000

#: Sample rate of the neural TTS (Kokoro-82M) output (Hz), fixed by the model.
TTS_SR_HZ = 24000

# --- short-time analysis --------------------------------------------------------------------------

#: STFT defaults for speech at 16 kHz: 25 ms windows, 10 ms hop (the usual speech front end).
N_FFT = 512
WIN_LENGTH = 400
HOP_LENGTH = 160
N_MELS = 80

#: Pitch search range for adult and child speech (Hz): Praat's default floor is 75 Hz; 60 Hz leaves room
#: for low male voices, 500 Hz for children (Titze 1994, *Principles of Voice Production*, ch. 8).
F0_MIN_HZ = 60.0
F0_MAX_HZ = 500.0

#: F0 search range of WORLD's DIO tracker in the shaping stage (Hz): wider than :data:`F0_MIN_HZ`-
#: :data:`F0_MAX_HZ`, because Kokoro's speech shaped toward a reference may leave the speaking range.
SHAPING_F0_MIN_HZ = 50.0
SHAPING_F0_MAX_HZ = 600.0

#: WORLD frame period (ms), the vocoder's default (Morise et al. 2016).
WORLD_FRAME_PERIOD_MS = 5.0

# --- the reference recording ------------------------------------------------------------------------

#: A reference should hold this much speech (s): under 5 s the speaker embedding wanders, over 15 s
#: adds little (zero-shot TTS papers use 3-10 s prompts; ``../shared/seeds``). The duration check of
#: :mod:`toolkit.quality` warns outside this range.
REFERENCE_MIN_S = 5.0
REFERENCE_MAX_S = 15.0

#: Shortest stretch of sound counted as speech by the pause and segment finder (s): about one short
#: syllable (:mod:`toolkit.analysis.rhythm`).
MIN_SPEECH_SEGMENT_S = 0.10

#: Least audio the speaker encoder embeds (s): GE2E averages 1.6 s windows; under a second the
#: embedding is unreliable (:mod:`toolkit.embedding`).
ENCODER_MIN_SPEECH_S = 1.0

#: Longest audio the toolkit loads at all (s): longer files are refused with a message, so a stray
#: hour-long upload cannot exhaust a shared demo server.
MAX_LOAD_DURATION_S = 600.0

# --- what the clone says -----------------------------------------------------------------------------

#: Languages the clone can speak: code → (espeak-ng voice, name shown to people). The voice is always
#: fitted on English; Kokoro-82M reads IPA from espeak-ng (:mod:`toolkit.synth.phonemes`).
LANGUAGE_TABLE = {
    "en": ("en-us", "English (US)"), "en-gb": ("en-gb", "English (UK)"), "fr": ("fr-fr", "French"),
    "es": ("es", "Spanish"), "de": ("de", "German"), "it": ("it", "Italian"), "pt": ("pt-br", "Portuguese"),
    "hi": ("hi", "Hindi"), "ja": ("ja", "Japanese"), "zh": ("cmn", "Chinese"),
}
#: Code → name shown to people (menus, help texts).
LANGUAGES = {code: name for code, (_, name) in LANGUAGE_TABLE.items()}
#: Code → espeak-ng voice name.
ESPEAK_VOICES = {code: voice for code, (voice, _) in LANGUAGE_TABLE.items()}

#: Longest text the app clones in one go (characters): about 40 s of speech at 15 characters a second.
MAX_TEXT_CHARS = 600

#: Largest file the recorder takes from an upload (bytes): a 3-minute 48 kHz stereo WAV is 35 MB. The servers'
#: websocket limit follows it (``toolkit.ui.serve.WEBSOCKET_MAX_MESSAGE_BYTES``).
MAX_UPLOAD_BYTES = 50_000_000

# --- delivery carried over from the reference (pace, pitch, level) ---------------------------------------

#: The clone's speed factor makes its syllable rate the reference's (:func:`toolkit.clone.generate.pace_speed`).
#: The reference's rate comes from :func:`toolkit.analysis.speaking_rate` (syllable nuclei per second of
#: speech, no transcript); the voice's is exact: the fitting sentence's 17 syllables over its speech time at
#: speed 1. The nuclei detector is sluggish: on the 8 English speakers of ``../shared/speech`` made 25 %
#: faster (``librosa.effects.time_stretch`` with 32 ms frames, or WORLD), ``speaking_rate`` rose by only
#: 14-17 %, about 0.65 of the change in log terms (its intensity contour is smoothed over a fixed 64 ms and
#: short pauses are bridged), so the detector's reading is undone with this exponent (1 / 0.65 ≈ 1.5)
#: around :data:`PACE_PIVOT_SYL_PER_S`.
PACE_EXPONENT = 1.5
#: Typical articulation rate of read English (syllables per second of speech; the transcribed references of
#: ``../shared/speech`` run at 4.5-5.4): where the detector's reading is taken at its face value.
PACE_PIVOT_SYL_PER_S = 4.5
#: Share of a transcript's syllables the nuclei detector finds (it merges unstressed ones): median 0.88 on
#: the fitting sentence spoken by 11 Kokoro voices (0.76-1.00) and 0.89 on six transcribed real clips
#: of ``../shared/speech`` (0.77-1.10).
PACE_DETECTOR_SHARE = 0.88
#: Range of the overall speed factor of a clone (0.85-1.2 before issue 17, too narrow to follow a 25 % faster
#: reference; 0.75-1.45 while Kokoro did all of it). Kokoro says at most :data:`KOKORO_SPEED_MAX` of it and WORLD
#: the rest, so the upper end is set by people, not by Kokoro: ×1.8 of a fitted voice's 4.0 syl/s is about
#: 7 syllables per second of speech, the fast end of natural articulation rates. With 1.45 the carry-over's
#: faster copy of librispeech_1998 was held at the bound (share 54 %, against 116 % at 1.8).
PACE_RANGE = (0.75, 1.8)
#: Fastest speed factor Kokoro itself is asked for; a faster pace is finished by WORLD in the shaping stage
#: (:func:`toolkit.clone.generate.split_speed`). Kokoro's durations jump between ×1.33 and ×1.34 (the clip
#: shortens 1.24-1.32 times at 1.33 and 1.38-1.43 times at 1.34, 3 fitted voices × 2 sentences; about 4/3, where a
#: 2-frame phoneme becomes 1 frame), and pocketsphinx's WER on the 8 fitted voices of ``bench_clone.py`` jumps with
#: it: 0.23 / 0.32 / 0.65 / 0.69 at speed 1.0 / 1.2 / 1.45 / 1.6 (unshaped). Kokoro at 1.3 and WORLD's tempo for
#: the rest gave WER 0.40 against 0.74 at an overall ×1.45 and GE2E 0.695 against 0.681 (3 voices × 2 sentences;
#: ``benchmarks/bench_speed_wer.py``, ``bench_speed_split.py``, issue 17, 2026-12-03).
KOKORO_SPEED_MAX = 1.3
#: The clone's median F0 is always moved toward the reference's (WORLD), by at most this many semitones either
#: way; a larger gap is left partly open, because WORLD's resynthesis grows buzzy far from the voice's pitch.
PITCH_CARRY_MAX_ST = 8.0
#: Share of the gap between the fitted voice's median F0 and the reference's that the pitch step closes
#: (in semitones). The fitted voice's own pitch is evidence about the speaker too (it is the voice the speaker
#: encoder found most like the reference), so the step meets it half-way; the step still moves with the
#: reference, so a higher reference gives a higher clone. Measured on the 8 speakers of ``../shared/speech``
#: (issue 17, seen while choosing it): 1.0 → 0.5 raised mean GE2E 0.747 → 0.762 and kept sphericity
#: (1.148 → 1.140), and a +3 semitone reference still gave clones higher by 108 %, 129 % and 124 % of it
#: (librispeech_198, 1998, 2033; ``bench_clone.py --carry-over``, stage 0 off).
PITCH_CARRY_SHARE = 0.5
# --- cleaning the reference (stage 0, toolkit.enhance) ----------------------------------------------------

#: Most DeepFilterNet3 may attenuate (dB); 100 = no limit, the model's own default (Schröter et al. 2023). What
#: ``denoise`` does unless told otherwise, and what "auto" uses when the report card found echo.
ENHANCE_ATTEN_LIM_DB = 100.0
#: What "auto" lets DeepFilterNet3 take away (dB) when the report card found noise and no echo
#: (:func:`toolkit.enhance.denoise_limit_db`): turned down by at most 20 dB, the noise stays 30 dB under the
#: voice and less of the voice goes with it. With echo the model's full range is needed: it also removes the room's
#: tail. Measured on the clones (issue 17, 6 English speakers of ``../shared/speech``, refine steps 1, clones
#: scored against the held-out clips, difference to the clean reference's clone): 10 dB SNR noise -0.063 GE2E
#: unlimited → -0.036 at 20 dB (sphericity +0.121 → +0.039; better for the 5 speakers without echo found, worse
#: for the one with), but noise plus a 0.5 s room -0.061 → -0.081 (sphericity +0.067 → +0.186: worse for the 4
#: speakers with echo found, better for the 2 without) and a 0.5 s room alone -0.030 → -0.040; 12 dB was worse
#: everywhere (-0.134 / -0.170 on 2 speakers), 30 dB between (-0.058 noise, -0.037 echo on 4).
ENHANCE_NOISE_ATTEN_LIM_DB = 20.0
#: "auto" cleans below this WADA-SNR (dB): the report card's noise warning (toolkit.quality.checks SNR_WARN_DB),
#: so it cleans whenever the noise check does not pass (or its DNSMOS background score warns).
ENHANCE_NOISE_SNR_DB = 20.0
#: "auto" cleans from this blind RT60 (s): the report card's echo warning (RT60_WARN_S; ANSI S12.60, 0.6 s).
ENHANCE_REVERB_RT60_S = 0.6
#: WPE (nara-wpe, Yoshioka & Nakatani 2012): sample rate (Hz), STFT size (samples, 32 ms, hop a quarter),
#: filter taps and prediction delay (frames) and re-weighting iterations: the package's own defaults for speech.
WPE_SR_HZ = 16000
WPE_N_FFT = 512
WPE_TAPS = 10
WPE_DELAY = 3
WPE_ITERATIONS = 3
#: Stage 0 when nothing is asked for: "auto" cleans only references the report card flags for noise or echo.
ENHANCE_DEFAULT = "auto"
#: What "auto" (when the report card flags noise or echo) and "on" do: DeepFilterNet3 alone. Measured on
#: ../shared/speech (docs/benchmarks.md, "Clones from degraded references"): the denoiser also takes most of a
#: 0.5 s room's tail away; adding WPE before it changed the clones by about a hundredth (better for noise and
#: echo, worse for both, on 5 speakers), and the blind RT60 reads noise as echo. Revisit on all 8 speakers.
#: WPE stays available as an explicit step (``steps=("dereverberate", "denoise")``).
ENHANCE_AUTO_STEPS = ("denoise",)
#: Share of the cleaned reference in the speaker embedding the fit aims at when stage 0 cleaned (the rest is the
#: recorded reference's; :func:`toolkit.enhance.blend_encoding`). Noise and echo move the GE2E embedding one
#: way and the denoiser's damage another, so their mean is nearer the speaker than either (docs/benchmarks.md,
#: "Clones from degraded references"; chosen on the voice print: on the clones it did not close the gap).
#: 1.0 = the cleaned reference's alone.
ENHANCE_EMBEDDING_WEIGHT = 0.75

# --- emotion: the prosody half of the fitted voice (toolkit.clone.emotion) ---------------------------------

#: How far the fitted voice's prosody half follows the reference's delivery when nothing is asked for
#: (0 = off, 1 = the map; toolkit.clone.emotion.carry_emotion). Off, by measurement (docs/benchmarks.md,
#: "Emotion"): on 5 English speakers GE2E 0.716 → 0.712 with the map (two lose about 0.03), and on Thorsten's
#: emotions it exaggerates the F0 range (1.4 st per st of the reference's) and makes intensity swings follow worse.
EMOTION_STRENGTH = 0.0

# --- compute (issue 17: fitting in 20 s, speaking at a real-time factor of 0.5 on 2 cores) -------------------

#: Kokoro's onnxruntime session runs with its memory arena, given back at the end of every run
#: (:func:`toolkit.models.onnx_session`, :func:`toolkit.models.onnx_run_options`). Without an arena each tensor is a
#: fresh ``malloc``, whose pages the kernel zeroes: six syntheses of the fitting sentence (one fit's worth) took
#: 1.3-1.6 million page faults and 2.9-3.6 s of system CPU time, and peaked at 1.34 GB RSS; with the arena 0.17
#: million faults, 0.4 s, peak 0.47 GB, and 355-367 MB held after the runs (328 MB after ``malloc_trim``, 313 MB
#: without the arena). The speech is bit-identical (2026-12-02, AMD EPYC 2 vCPUs, load average 4-5).
KOKORO_MEMORY_ARENA = True
