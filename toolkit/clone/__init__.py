"""Zero-shot voice cloning, stage by stage, offline on a CPU.

1. :mod:`.encode`: the reference's voice profile and GE2E embedding.
2. :mod:`.generate` with :mod:`.voice_space` and :mod:`.learned`: a voice fitted in Kokoro's
   style space (learned encoder + short refinement), then speech.
3. :mod:`.shape`: WORLD-based shaping toward the reference's explicit features.
4. :mod:`.evaluate`: speaker similarity and an independent second-order cepstral measure.

:func:`run_stages` (:mod:`.pipeline`) runs them in order and reports each; :func:`clone` collects
every intermediate result.
Importing this package is cheap; models load on first use.

Taught in ``notebooks/05_zero_shot_cloning.ipynb`` and ``06_expressive_and_cross_lingual.ipynb``.
"""

from .encode import ReferenceEncoding, UnusableReferenceError, encode_reference, model_features
from .evaluate import (cepstral_covariance, cepstral_distance_db, long_term_cepstrum, speaker_similarity,
                       sphericity_distance)
from .generate import METHODS, FitTrace, fit_voice, speak, speak_stream
from .pipeline import (STAGES, CloneResult, FitResult, StageResult, cache_dir, clone, clone_stream, fit, run_stages,
                       shape_with_voice, validate_language, validate_text)
from .shape import STEPS, ShapingParams, apply_shaping, choose_shaping, shaping_params
from .voice_space import REF_ROW, FittedVoice, VoiceSpace, get_voice_space, sample_styles

__all__ = [
    "ReferenceEncoding", "UnusableReferenceError", "encode_reference", "model_features",
    "METHODS", "FitTrace", "fit_voice", "speak", "speak_stream",
    "STEPS", "ShapingParams", "shaping_params", "apply_shaping", "choose_shaping",
    "speaker_similarity", "cepstral_covariance", "sphericity_distance", "long_term_cepstrum", "cepstral_distance_db",
    "STAGES", "StageResult", "FitResult", "run_stages", "validate_text", "validate_language",
    "CloneResult", "fit", "clone", "clone_stream", "shape_with_voice", "cache_dir",
    "REF_ROW", "FittedVoice", "VoiceSpace", "get_voice_space", "sample_styles",
]
