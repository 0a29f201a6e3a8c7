"""Hearing and seeing a voice: spectrograms, pitch, formants, loudness, voice quality and rhythm.

One module per topic; every function takes the waveform ``y`` as its only
positional argument and ``sr`` by keyword. librosa and Parselmouth are imported
inside the functions that need them, so importing this package is cheap.

* :mod:`.spectrum`: STFT and mel spectrograms, Griffin-Lim (``01_spectrograms``).
* :mod:`.pitch`: F0 with voicing (Praat autocorrelation), range in semitones.
* :mod:`.formants`: F1-F3 (Praat Burg LPC).
* :mod:`.loudness`: intensity contour (dB) and integrated loudness (LUFS).
* :mod:`.voice_quality`: spectral tilt (dB/octave) and harmonics-to-noise ratio.
* :mod:`.rhythm`: speech segments, pauses, syllable nuclei, speaking rate.
* :mod:`.profile`: :class:`VoiceProfile`, all of the above in one summary.
"""

from .formants import FormantTrack, estimate_formants, formant_medians_hz
from .loudness import Intensity, intensity_db, loudness_lufs
from .pitch import F0Track, estimate_f0, f0_median_hz, f0_range_st, hz_to_semitones
from .profile import VoiceProfile, voice_profile
from .rhythm import Pause, find_pauses, speaking_rate, speech_duration_s, speech_segments, syllable_nuclei
from .spectrum import Spectrogram, frame_signal, mel_spectrogram_db, mel_to_audio, stft_db
from .voice_quality import harmonics_to_noise_db, long_term_spectrum_db, spectral_tilt

__all__ = [
    "Spectrogram", "frame_signal", "stft_db", "mel_spectrogram_db", "mel_to_audio",
    "F0Track", "estimate_f0", "f0_median_hz", "f0_range_st", "hz_to_semitones",
    "FormantTrack", "estimate_formants", "formant_medians_hz",
    "Intensity", "intensity_db", "loudness_lufs",
    "long_term_spectrum_db", "spectral_tilt", "harmonics_to_noise_db",
    "Pause", "speech_segments", "speech_duration_s", "find_pauses", "syllable_nuclei", "speaking_rate",
    "VoiceProfile", "voice_profile",
]
