"""Fit the emotion map (``toolkit/clone/data/emotion_map.npz``): prosodic features → the style's prosody half.

Two steps, both on voices the project synthesises itself (no real recording is read):

1. ``--make-data OUT.npz``: draw voices from the voice bank (``VoiceEncoderModel.bank_styles``), each with the
   timbre half (dims 0-127) of one bank voice and the prosody half (dims 128-255) of another, so that the
   prosody half varies independently of the timbre; speak the fitting sentence
   (:data:`toolkit.clone.generate.REFINE_TEXT`, speed 1) with each and measure
   :func:`toolkit.clone.emotion.prosodic_features`. Several processes can run at once (``--seed``).
2. ``--fit DATA.npz ... --out MAP.npz``: standardise the features, fit ridge regressions from them to the
   prosody half for a few penalties on a seeded 80/20 split, keep the penalty with the lowest held-out error
   and refit on everything; write the map with a record of how it was made (``EmotionMap.info``).

    PYTHONPATH=. nice -n 15 .venv/bin/python training/fit_emotion_map.py --make-data /tmp/emo_a.npz --n 60 --seed 1
    PYTHONPATH=. nice -n 15 .venv/bin/python training/fit_emotion_map.py --fit /tmp/emo_a.npz --out toolkit/clone/data/emotion_map.npz
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np


def make_data(out: Path, *, n: int, seed: int, threads: int):
    from toolkit.clone.emotion import FEATURES, prosodic_features
    from toolkit.clone.generate import REFINE_TEXT
    from toolkit.clone.learned import get_voice_encoder
    from toolkit.clone.voice_space import VoiceSpace
    from toolkit.synth.kokoro import KokoroTTS
    from toolkit.synth.phonemes import phonemize

    tts = KokoroTTS(n_threads=threads)
    space = VoiceSpace(tts.voices)
    bank = get_voice_encoder().bank_styles.astype(np.float32)
    rng = np.random.default_rng(seed)
    ph = phonemize(REFINE_TEXT, language="en")
    styles, feats, t0 = [], [], time.time()
    for i in range(n):
        a, b = rng.choice(len(bank), size=2, replace=False)
        s = space.clamp(np.r_[bank[a][:128], bank[b][128:]])
        y = np.clip(np.nan_to_num(tts.synthesize_phonemes(ph, style=space.table(s))), -1, 1)
        styles.append(s)
        feats.append(prosodic_features(y, sr=tts.sr))
        if (i + 1) % 10 == 0 or i + 1 == n:
            np.savez(out, styles=np.stack(styles), features=np.stack(feats), feature_names=np.array(FEATURES),
                     seed=seed, seconds=time.time() - t0, text=REFINE_TEXT)
            print(f"{i + 1}/{n} voices, {time.time() - t0:.0f} s", flush=True)


def fit(paths, out: Path, *, alphas=(10, 30, 100, 300, 1000), folds: int = 5, invert_reg: float = 0.05,
        min_r2: float = 0.2):
    """Forward ridge (features from the whole style), then its regularised minimum-norm inverse on the prosody half."""
    from toolkit.clone.emotion import FEATURES, PROSODY_DIMS
    from toolkit.clone.voice_space import get_voice_space

    S, F, seconds, seeds = [], [], 0.0, []
    for p in paths:
        with np.load(p) as z:
            S.append(z["styles"]); F.append(z["features"]); seconds += float(z["seconds"]); seeds.append(int(z["seed"]))
            text = str(z["text"])
    S, F = np.concatenate(S).astype(np.float64), np.concatenate(F)
    ok = np.isfinite(F).all(axis=1)
    S, F = S[ok], F[ok]
    spread = get_voice_space().spread.astype(np.float64)
    X = (S - S.mean(axis=0)) / spread                      # style in shipped-voice spreads
    x_mean, x_std = F.mean(axis=0), F.std(axis=0) + 1e-9
    Z = (F - x_mean) / x_std                               # features in bank standard deviations

    def ridge(Xt, Zt, alpha):                              # Zt ≈ Xt @ B, B of shape (256, 5)
        return np.linalg.solve(Xt.T @ Xt + alpha * np.eye(Xt.shape[1]), Xt.T @ Zt)

    fold = np.random.default_rng(0).permutation(len(X)) % folds
    r2 = {}
    for a in alphas:
        err = np.zeros(Z.shape[1])
        for k in range(folds):
            tr, te = fold != k, fold == k
            B = ridge(X[tr] - X[tr].mean(0), Z[tr] - Z[tr].mean(0), a)
            err += ((X[te] - X[tr].mean(0)) @ B - (Z[te] - Z[tr].mean(0))).__pow__(2).sum(axis=0)
        r2[a] = 1 - err / (Z ** 2).sum(axis=0)
    best = max(r2, key=lambda a: r2[a].mean())
    A = ridge(X, Z, best)[PROSODY_DIMS].T                  # (5, 128): feature change per spread of each dim
    # only features the style predicts (cross-validated R² >= min_r2) are steered; the others get a zero row
    ctrl = np.flatnonzero(r2[best] >= min_r2)
    Ac = A[ctrl]
    G = Ac @ Ac.T
    lam = invert_reg * np.trace(G) / len(G)
    M = Ac.T @ np.linalg.inv(G + lam * np.eye(len(G)))     # least change of the prosody half for a z, others held
    W = np.zeros((len(FEATURES), A.shape[1]))
    W[ctrl] = (M * spread[PROSODY_DIMS][:, None]).T        # (5, 128) in style units: shift = z @ W
    info = {"made_by": "training/fit_emotion_map.py", "date": time.strftime("%Y-%m-%d"), "n_voices": int(len(X)),
            "dropped_nan": int((~ok).sum()), "data_seeds": seeds, "text": text, "synthesis_s": round(seconds, 1),
            "voices": "timbre half of one voice-bank voice, prosody half of another (VoiceEncoderModel.bank_styles)",
            "model": "forward ridge: standardised features from the style vector in shipped-voice spreads (all 256 "
                     "dims, so the timbre half's share is accounted for); the map is its prosody-half block inverted "
                     "(minimum-norm, Tikhonov-regularised): the least change of dims 128-255 that moves the features "
                     "by a given z, the others held",
            "alpha": best, "cv_folds": folds, "invert_reg": invert_reg, "min_r2": min_r2,
            "steered": [FEATURES[i] for i in ctrl],
            "cv_r2_per_feature": dict(zip(FEATURES, np.round(r2[best], 3).tolist())),
            "cv_r2_by_alpha": {str(a): np.round(v, 3).tolist() for a, v in r2.items()},
            "feature_names": list(FEATURES), "feature_mean": x_mean.round(4).tolist(),
            "feature_sd": x_std.round(4).tolist()}
    np.savez(out, W=W.astype(np.float32), x_mean=x_mean, x_std=x_std, feature_names=np.array(FEATURES),
             info=json.dumps(info))
    print(json.dumps(info, indent=1))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--make-data", type=Path)
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--fit", type=Path, nargs="+")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    if args.make_data:
        make_data(args.make_data, n=args.n, seed=args.seed, threads=args.threads)
    if args.fit:
        fit(args.fit, args.out)


if __name__ == "__main__":
    main()
