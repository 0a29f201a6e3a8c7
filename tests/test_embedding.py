"""Speaker embeddings from the GE2E encoder shipped in the resemblyzer wheel."""

import numpy as np
import pytest

from toolkit import ParameterError, load
from toolkit.embedding import embed, embed_windows, project_2d, similarity


def test_similarity_basics():
    assert similarity([1, 0], [1, 0]) == pytest.approx(1.0)
    assert similarity([1, 0], [-1, 0]) == pytest.approx(-1.0)
    with pytest.raises(ParameterError, match="zeros"):
        similarity([0, 0], [1, 0])
    with pytest.raises(ParameterError, match="differ"):
        similarity([1, 0], [1, 0, 0])


def test_too_short_clip_is_refused():
    with pytest.raises(ParameterError, match="at least"):
        embed(np.zeros(4000, np.float32) + 1e-4 * np.random.default_rng(0).standard_normal(4000).astype(np.float32),
              sr=16000)


def test_same_speaker_closer_than_other_speakers(speech_manifest):
    by_spk = {}
    for r in speech_manifest:
        if r["language"] == "en":
            by_spk.setdefault(r["speaker"], []).append(r["path"])
    pairs = {s: p for s, p in by_spk.items() if len(p) >= 2}
    assert len(pairs) >= 4
    def emb(path):
        y, sr = load(path)
        return embed(y, sr=sr)

    E = {s: [emb(p) for p in ps[:2]] for s, ps in pairs.items()}
    same = [similarity(a, b) for a, b in E.values()]
    spks = list(E)
    diff = [similarity(E[a][0], E[b][0]) for i, a in enumerate(spks) for b in spks[i + 1:]]
    assert np.mean(same) > 0.8 and np.mean(same) > np.mean(diff) + 0.1


def test_windows_and_map(english_refs):
    y, sr = load(english_refs[0]["path"])
    t, E = embed_windows(y, sr=sr)
    assert E.shape[1] == 256 and len(t) == len(E) and np.allclose(np.linalg.norm(E, axis=1), 1, atol=1e-3)
    pts, basis = project_2d(E)
    assert pts.shape == (len(E), 2)
    more, _ = project_2d(E[:2], basis=basis)
    assert np.allclose(more, pts[:2])


def test_playback_gain_does_not_change_the_embedding(english_refs):
    # the encoder reads mel power without a logarithm; Resemblyzer only raises quiet clips, so without our
    # level normalisation a loud and a soft copy of one recording embed differently (0.83 before the fix)
    y, sr = load(english_refs[0]["path"])
    y = y / np.abs(y).max() * 0.9
    loud, soft = embed(y, sr=sr), embed(y * 0.05, sr=sr)
    assert similarity(loud, soft) > 0.995  # (voice-activity trimming still sees the level)


def test_numpy_run_time_encoder_matches_resemblyzer_torch(english_refs):
    """The lab's encoder (numpy) gives Resemblyzer's own embeddings (torch, its preprocessing) to 1e-4."""
    import warnings

    import torch

    from toolkit.audio import resample, rms_dbfs
    from toolkit.embedding import LEVEL_DBFS, SpeakerEncoder, TorchSpeakerEncoder

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from resemblyzer import VoiceEncoder, preprocess_wav
    from toolkit.models import resemblyzer_weights

    torch.set_num_threads(1)
    original = VoiceEncoder(device="cpu", verbose=False, weights_fpath=resemblyzer_weights())
    ours, torch_ours = SpeakerEncoder(), TorchSpeakerEncoder()
    for ref in english_refs[:4]:
        y, sr = load(ref["path"])
        y16 = resample(y, sr=sr, target_sr=16000)
        wav = preprocess_wav(y16, source_sr=16000)
        wav = wav * np.float32(10 ** ((LEVEL_DBFS - rms_dbfs(wav)) / 20))
        assert np.allclose(ours.prepare(y, sr=sr), wav, atol=1e-5), ref["file"]
        e_original = original.embed_utterance(wav.astype(np.float32))
        e_ours = ours.embed(y, sr=sr)
        assert np.max(np.abs(e_ours - e_original)) < 1e-4, ref["file"]
        assert np.max(np.abs(torch_ours.embed(y, sr=sr) - e_original)) < 1e-4
        _, w_np = ours.embed_windows(y[: 5 * sr], sr=sr)
        _, w_torch = torch_ours.embed_windows(y[: 5 * sr], sr=sr)
        assert w_np.shape == w_torch.shape and np.max(np.abs(w_np - w_torch)) < 1e-4


def test_run_time_encoder_does_not_import_torch():
    import subprocess
    import sys

    code = ("import sys, numpy as np; from toolkit.embedding import embed; "
            "e = embed(np.random.default_rng(0).standard_normal(32000).astype('float32') * 0.1, sr=16000); "
            "print(e.shape, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "(256,) False", out.stderr[-2000:]
