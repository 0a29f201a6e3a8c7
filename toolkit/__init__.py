"""Voice Cloning Lab toolkit: record, analyse, check and clone voices, offline on a CPU.

The public API is listed here; heavy dependencies (torch, onnxruntime) are
imported only when a function that needs them runs.

Modules, in the order data flows through them:

* :mod:`toolkit.audio`: load/resample/save audio, the :class:`Clip`.
* :mod:`toolkit.media`: the lab's own example clips.
* :mod:`toolkit.analysis`: spectrograms, F0, formants, loudness, voice quality, rhythm → :class:`VoiceProfile`.
* :mod:`toolkit.prosody`: change pitch level and range, tempo and pauses (WORLD vocoder).
* :mod:`toolkit.conduction`: own-voice model, air and bone conduction (``as_you_hear_yourself``).
* :mod:`toolkit.quality`: check a reference (noise, echo, clipping, speakers, ...) → report card.
* :mod:`toolkit.effects`: degrade a reference on purpose (noise, reverb, clipping, a second voice).
* :mod:`toolkit.enhance`: clean a reference (denoise, dereverberate): stage 0 of a clone.
* :mod:`toolkit.cli`: ``python -m toolkit COMMAND``.
* :mod:`toolkit.ui`: ipywidgets panels (only they import widgets).
"""

from .analysis.profile import VoiceProfile, voice_profile
from .audio import Clip, load, load_bytes, resample, save
from .conduction import as_others_hear_you, as_you_hear_yourself, transfer_curves
from .errors import AudioLoadError, ModelError, ParameterError, ToolkitError
from .media import example, list_examples

__all__ = [
    "Clip", "load", "load_bytes", "resample", "save",
    "ToolkitError", "ParameterError", "AudioLoadError", "ModelError",
    "example", "list_examples",
    "VoiceProfile", "voice_profile",
    "as_you_hear_yourself", "as_others_hear_you", "transfer_curves",
]
__version__ = "0.1.0"
