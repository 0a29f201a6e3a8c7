"""Train the voice-space encoder: reference features → Kokoro style vector.

Reads the synthetic set made by ``training/make_voice_data.py`` (style vectors
sampled around the shipped voices, their speech and its GE2E embedding),
computes the profile part of the input (F0 median and range, F1-F3) on the
stored speech, adds *augmented* copies (random microphone colouring, band limit,
noise and a touch of reverberation, embedded again) so the map tolerates real
recordings, and fits two models on a seeded 90/10 split:

* ridge regression (the issue's baseline), and
* a small MLP (torch; SiLU, dropout, AdamW, early stopping on the split).

Both are judged on the held-out synthetic voices by what matters: speak a
sentence with the predicted style and compare its GE2E embedding with the
held-out voice's. The better one is written to ``toolkit/clone/data/voice_encoder.npz``
with a record of how it was made. Nothing here reads real recordings.

    python training/train_voice_encoder.py --data /tmp/voice_space_data
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "toolkit" / "clone" / "data" / "voice_encoder.npz"


def load_batches(data: Path):
    rows = {k: [] for k in ("index", "style", "embedding", "sentence")}
    audio = []
    for p in sorted(data.glob("batch_*.npz")):
        z = np.load(p)
        for k in rows:
            rows[k].append(z[k])
        cuts = np.cumsum(z["lengths"])[:-1]
        audio += np.split(z["audio"], cuts)
    out = {k: np.concatenate(v) for k, v in rows.items()}
    out["audio"] = [a.astype(np.float32) / 32767 for a in audio]
    return out


def light_profile(y, sr=16000):
    """The profile numbers the encoder uses, measured as :func:`toolkit.analysis.voice_profile` does."""
    from toolkit.analysis import estimate_f0, estimate_formants, f0_median_hz, f0_range_st, formant_medians_hz

    track = estimate_f0(y, sr=sr)
    med = f0_median_hz(track)
    ceiling = 5000.0 if (np.isfinite(med) and med < 160) else 5500.0
    voiced_t = track.times_s[track.voiced]
    fm = (formant_medians_hz(estimate_formants(y, sr=sr, max_formant_hz=ceiling), voiced_times_s=voiced_t)
          if len(voiced_t) else (np.nan,) * 3)
    return SimpleNamespace(f0_median_hz=med, f0_range_st=f0_range_st(track), formants_hz=tuple(fm))


def augment(y, rng, sr=16000):
    """A random 'microphone and room': tilt/EQ, band limit, noise at 15-40 dB SNR, short reverberation."""
    from scipy.signal import butter, sosfilt

    y = y.copy()
    if rng.random() < 0.6:  # band limit
        lo, hi = rng.uniform(50, 200), rng.uniform(3800, 7800)
        y = sosfilt(butter(2, [lo, hi], btype="band", fs=sr, output="sos"), y)
    if rng.random() < 0.6:  # spectral tilt via a first-order pre/de-emphasis
        a = rng.uniform(-0.6, 0.6)
        y = np.append(y[0], y[1:] - a * y[:-1])
    if rng.random() < 0.4:  # small room
        n = int(sr * rng.uniform(0.05, 0.25))
        ir = rng.standard_normal(n) * np.exp(-np.arange(n) / (n / 6))
        ir[0] = 1.0 / max(0.2, rng.uniform(0.2, 1.0))
        y = np.convolve(y, ir / np.abs(ir).sum() * 3)[: len(y)]
    if rng.random() < 0.7:
        snr = rng.uniform(15, 40)
        p = np.mean(y ** 2) + 1e-12
        y = y + rng.standard_normal(len(y)) * np.sqrt(p / 10 ** (snr / 10))
    y = y / (np.max(np.abs(y)) + 1e-9) * rng.uniform(0.3, 0.95)
    return y.astype(np.float32)


def features(data: Path, d, n_aug: int, seed: int):
    """Feature matrix for clean and augmented copies (cached in the data folder)."""
    from toolkit.clone.encode import model_features
    from toolkit.embedding import get_encoder

    cache = data / f"features_aug{n_aug}_seed{seed}.npz"
    n = len(d["index"])
    have = {}
    if cache.exists():
        z = np.load(cache)
        have = {int(i): (x, a) for i, x, a in zip(z["index"], z["X"], z["A"])}
    enc = get_encoder()
    X, A = [], []
    for j in range(n):
        i = int(d["index"][j])
        if i in have:
            x, a = have[i]
        else:
            rng = np.random.default_rng([seed, i])
            prof = light_profile(d["audio"][j])
            x = model_features(d["embedding"][j], prof)
            a = np.stack([model_features(enc.embed(augment(d["audio"][j], rng), sr=16000), prof)
                          for _ in range(n_aug)]) if n_aug else np.zeros((0, len(x)), np.float32)
        X.append(x); A.append(a)
    X, A = np.stack(X).astype(np.float32), np.stack(A).astype(np.float32)
    np.savez(cache, index=d["index"], X=X, A=A)
    return X, A


def fit_ridge(X, Y, alpha):
    xm, xs = X.mean(0), X.std(0) + 1e-6
    ym, ys = Y.mean(0), Y.std(0) + 1e-6
    Xn, Yn = (X - xm) / xs, (Y - ym) / ys
    W = np.linalg.solve(Xn.T @ Xn + alpha * np.eye(X.shape[1]), Xn.T @ Yn)
    return dict(kind="ridge", x_mean=xm, x_std=xs, y_mean=ym, y_std=ys, layers=[(W, np.zeros(Y.shape[1]))])


def fit_mlp(X, Y, Xv, Yv, *, seed, hidden=512, epochs=300, lr=2e-3, wd=1e-3, dropout=0.1):
    import torch

    torch.manual_seed(seed)
    xm, xs = X.mean(0), X.std(0) + 1e-6
    ym, ys = Y.mean(0), Y.std(0) + 1e-6
    t = lambda a: torch.from_numpy(np.asarray(a, np.float32))
    Xn, Yn, Xvn, Yvn = t((X - xm) / xs), t((Y - ym) / ys), t((Xv - xm) / xs), t((Yv - ym) / ys)
    net = torch.nn.Sequential(torch.nn.Linear(X.shape[1], hidden), torch.nn.SiLU(), torch.nn.Dropout(dropout),
                              torch.nn.Linear(hidden, hidden), torch.nn.SiLU(), torch.nn.Dropout(dropout),
                              torch.nn.Linear(hidden, Y.shape[1]))
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=wd)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    best, best_state = np.inf, None
    for ep in range(epochs):
        net.train()
        perm = torch.randperm(len(Xn))
        for b in range(0, len(Xn), 128):
            idx = perm[b:b + 128]
            xb = Xn[idx] + 0.05 * torch.randn_like(Xn[idx])
            loss = torch.mean((net(xb) - Yn[idx]) ** 2)
            opt.zero_grad(); loss.backward(); opt.step()
        sched.step()
        net.eval()
        with torch.no_grad():
            v = float(torch.mean((net(Xvn) - Yvn) ** 2))
        if v < best:
            best, best_state = v, {k: p.clone() for k, p in net.state_dict().items()}
    net.load_state_dict(best_state)
    lin = [m for m in net if isinstance(m, torch.nn.Linear)]
    layers = [(m.weight.detach().numpy().T.copy(), m.bias.detach().numpy().copy()) for m in lin]
    return dict(kind="mlp", x_mean=xm, x_std=xs, y_mean=ym, y_std=ys, layers=layers), best


def predict(m, X):
    h = (X - m["x_mean"]) / m["x_std"]
    for i, (W, b) in enumerate(m["layers"]):
        h = h @ W + b
        if i < len(m["layers"]) - 1:
            h = h * 0.5 * (1.0 + np.tanh(0.5 * h))
    return h * m["y_std"] + m["y_mean"]


def speak_and_compare(styles, target_emb, sentences, space, tts, enc, phon):
    """Mean GE2E similarity between speech made with ``styles`` and the target embeddings."""
    sims = []
    for s, e, k in zip(styles, target_emb, sentences):
        y = tts.synthesize_phonemes(phon[(k + 7) % len(phon)], style=space.table(s))  # a different sentence
        sims.append(float(enc.embed(y, sr=tts.sr) @ e))
    return float(np.mean(sims))


def shipped_embeddings(space, tts, enc, phon):
    E = []
    for name, s in zip(space.names, space.styles):
        y = np.concatenate([tts.synthesize_phonemes(p, style=space.table(s)) for p in phon[:2]])
        E.append(enc.embed(y, sr=tts.sr))
    return np.stack(E)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--augment", type=int, default=1, help="augmented copies per clip")
    ap.add_argument("--n-check", type=int, default=40, help="held-out voices spoken to check each model")
    ap.add_argument("--bank-data", type=Path, nargs="*", default=[],
                    help="more data folders whose voices join the voice bank (not the MLP's training)")
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(2)
    t0 = time.time()
    d = load_batches(args.data)
    ok = np.isfinite(d["embedding"]).all(1)
    d = {k: ([v[i] for i in np.flatnonzero(ok)] if isinstance(v, list) else v[ok]) for k, v in d.items()}
    n = len(d["index"])
    X, A = features(args.data, d, args.augment, args.seed)
    t_feat = time.time() - t0
    Y = d["style"]
    rng = np.random.default_rng(args.seed)
    perm = rng.permutation(n)
    n_val = max(20, n // 10)
    va, tr = perm[:n_val], perm[n_val:]
    Xtr = np.concatenate([X[tr]] + [A[tr, k] for k in range(A.shape[1])])
    Ytr = np.concatenate([Y[tr]] * (1 + A.shape[1]))
    print(f"{n} voices ({len(tr)} train, {len(va)} held out), {len(Xtr)} training rows; features {t_feat:.0f} s",
          flush=True)

    models = {}
    for alpha in (10.0, 100.0, 1000.0):
        m = fit_ridge(Xtr, Ytr, alpha)
        mse = float(np.mean(((predict(m, X[va]) - Y[va]) / m["y_std"]) ** 2))
        models[f"ridge a={alpha:g}"] = (m, mse)
    t1 = time.time()
    mlp, _ = fit_mlp(Xtr, Ytr, X[va], Y[va], seed=args.seed)
    t_mlp = time.time() - t1
    models["mlp"] = (mlp, float(np.mean(((predict(mlp, X[va]) - Y[va]) / mlp["y_std"]) ** 2)))
    for k, (_, mse) in models.items():
        print(f"  {k}: held-out standardised style MSE {mse:.3f}", flush=True)
    best_ridge = min((k for k in models if k.startswith("ridge")), key=lambda k: models[k][1])

    from toolkit.clone.voice_space import VoiceSpace
    from toolkit.embedding import get_encoder
    from toolkit.synth.kokoro import KokoroTTS

    meta = json.loads((args.data / "meta.json").read_text())
    tts = KokoroTTS(n_threads=2)
    space = VoiceSpace(tts.voices)
    enc = get_encoder()
    phon = meta["phonemes"]
    chk = va[: args.n_check]
    ship_path = args.data / "shipped_embeddings.npy"
    if ship_path.exists():
        ship = np.load(ship_path)
    else:
        ship = shipped_embeddings(space, tts, enc, phon)
        np.save(ship_path, ship)
    scores = {}
    if len(chk):
        clamp = lambda S: np.stack([space.clamp(s) for s in S])
        for k in (best_ridge, "mlp"):
            scores[k] = speak_and_compare(clamp(predict(models[k][0], X[chk])), d["embedding"][chk],
                                          d["sentence"][chk], space, tts, enc, phon)
        # reference points: the true styles (how well speech of one voice matches itself on another sentence),
        # and the nearest shipped voice
        scores["true style"] = speak_and_compare(Y[chk], d["embedding"][chk], d["sentence"][chk], space, tts, enc, phon)
        near = space.styles[np.argmax(d["embedding"][chk] @ ship.T, axis=1)]
        scores["nearest shipped"] = speak_and_compare(near, d["embedding"][chk], d["sentence"][chk], space, tts, enc,
                                                      phon)
        for k, v in scores.items():
            print(f"  held-out voices, GE2E similarity of speech: {k}: {v:.3f}", flush=True)
        chosen = "mlp" if scores["mlp"] >= scores[best_ridge] else best_ridge
    else:  # no speech check: choose by the held-out style error
        chosen = "mlp" if models["mlp"][1] <= models[best_ridge][1] else best_ridge
    m = models[chosen][0]
    info = {"chosen": chosen, "n_voices": int(n), "n_train_voices": int(len(tr)), "n_heldout_voices": int(len(va)),
            "augmented_copies": int(args.augment), "data_seed": int(meta["seed"]), "split_seed": int(args.seed),
            "heldout_style_mse": {k: round(v[1], 4) for k, v in models.items()},
            "heldout_speech_similarity": {k: round(v, 4) for k, v in scores.items()},
            "n_heldout_spoken": int(len(chk)), "feature_time_s": round(t_feat), "mlp_train_time_s": round(t_mlp),
            "total_time_s": round(time.time() - t0), "made_by": "training/train_voice_encoder.py",
            "data_made_by": "training/make_voice_data.py"}
    bank_e, bank_s = [d["embedding"][tr]], [Y[tr]]
    for extra in args.bank_data:
        x = load_batches(extra)
        good = np.isfinite(x["embedding"]).all(1)
        bank_e.append(x["embedding"][good]); bank_s.append(x["style"][good])
    bank_e, bank_s = np.concatenate(bank_e), np.concatenate(bank_s)
    info["bank_voices"] = int(len(bank_e))
    arrays = {f"W{i}": W.astype(np.float32) for i, (W, _) in enumerate(m["layers"])}
    arrays.update({f"b{i}": b.astype(np.float32) for i, (_, b) in enumerate(m["layers"])})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, kind=np.str_(m["kind"]), n_layers=len(m["layers"]),
                        x_mean=m["x_mean"].astype(np.float32), x_std=m["x_std"].astype(np.float32),
                        y_mean=m["y_mean"].astype(np.float32), y_std=m["y_std"].astype(np.float32),
                        info=np.str_(json.dumps(info)), shipped_names=np.array(space.names, dtype=np.str_),
                        shipped_embeddings=ship.astype(np.float32),
                        map_embeddings=d["embedding"][perm[: min(n, 400)]].astype(np.float16),
                        bank_embeddings=bank_e.astype(np.float16), bank_styles=bank_s.astype(np.float16), **arrays)
    print(json.dumps(info, indent=1))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
