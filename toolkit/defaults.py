"""Settings shared across the toolkit, with their units in the names.

Thresholds that belong to one topic (quality checks, conduction model) live in
that topic's module next to their sources; this module holds what several
modules agree on.
"""

#: Sample rate the analysis code works at (Hz). Speech below 8 kHz carries
#: everything we measure; 16 kHz is also what the speaker encoder expects.
ANALYSIS_SR_HZ = 16000

#: Sample rate of the neural TTS (Kokoro-82M) output (Hz).
TTS_SR_HZ = 24000

#: STFT defaults for speech at 16 kHz: 25 ms windows, 10 ms hop.
N_FFT = 512
WIN_LENGTH = 400
HOP_LENGTH = 160
N_MELS = 80

#: Pitch search range for adult and child speech (Hz).
F0_MIN_HZ = 60.0
F0_MAX_HZ = 500.0

#: A reference should hold this much speech (s); see ``toolkit.quality``.
REFERENCE_MIN_S = 5.0
REFERENCE_MAX_S = 15.0

#: Longest audio the toolkit loads at all (s): longer files are refused with a
#: message, so a stray hour-long upload cannot exhaust a shared demo server.
MAX_LOAD_DURATION_S = 600.0

#: Largest file the recorder takes from an upload (bytes): a 3-minute 48 kHz stereo WAV is 35 MB. The servers'
#: websocket limit follows it (``toolkit.ui.serve.WEBSOCKET_MAX_MESSAGE_BYTES``).
MAX_UPLOAD_BYTES = 50_000_000
