"""Build notebooks/02_bone_vs_air.ipynb: why your recorded voice sounds wrong to you (bone and air conduction).

The table of gains in the notebook is generated from ``toolkit.conduction`` so
text and code cannot disagree; rebuild after changing the model's numbers.
"""

import numpy as np
from nbtools import code, exercises, md, quiz, time_and_glossary, write

from toolkit import conduction as C


def _gain_table_md() -> str:
    head = "| | " + " | ".join(f"{f / 1000:g} kHz" if f >= 1000 else f"{f:g} Hz" for f in C.TABLE_FREQS_HZ) + " |"
    rule = "|---" * (len(C.TABLE_FREQS_HZ) + 1) + "|"
    open_, plugged = C.gain_table(), C.gain_table(occlusion=True)

    def row(name, values):
        return f"| {name} | " + " | ".join(f"{v:+.1f}" if np.isfinite(v) else "–" for v in values) + " |"

    rows = [
        row("air path, mouth → own ear (ours, trend from Chu & Warnock 2002; Pörschmann 2000)", C.AIR_PATH_DB),
        row("bone relative to air (ours, shaped after Békésy 1949; Pörschmann 2000; Reinfeldt et al. 2010)",
            C.BONE_REL_AIR_DB),
        row("**what you hear, ears open** (power sum, bone mix 1)", open_.mixed_db),
        row("occlusion boost of the bone path (20 dB at ≤250 Hz and ≈0 from 2 kHz: Stenfelt & Reinfeldt 2007, "
            "Canadian Audiologist 2025; between: ours)", C.OCCLUSION_BOOST_DB),
        row(f"**what you hear, ears plugged** (air path −{C.EARPLUG_LOSS_DB:g} dB by the plug: ours)", plugged.mixed_db),
    ]
    return "\n".join([head, rule, *rows])


EXERCISES = exercises([
    ("Turn the bone path off.", """
     In section 4, **predict** what the "as heard" player will sound like with `bone_mix = 0`, then set it.
     """, """
     Air only, from your ear's position: slightly *duller* than the recording (the ear gets less treble than a
     microphone in front of the mouth) but with no extra low weight. The band ratio moves by the air path
     alone, a dB or two: nearly the recording.
     """),
    ("Which voice changes more?", """
     Before running it, **predict** whether the male or the female voice gets the bigger change in the
     100-1000 Hz vs 2-6 kHz balance. Then compare the two printed numbers in section 3.
     """, """
     The male voice: his F0 (about 100-130 Hz) and first harmonics sit where the model lifts most, while the
     female voice (F0 about 200 Hz) has less energy down there. The curve is the same; what it acts on differs.
     """),
    ("Your own occlusion effect.", """
     Record yourself saying "aaa" once normally, then with your fingers in your ears (the microphone still
     hears the open-air sound). **Predict**: does the recording change? Then compare with the model's
     "ears plugged" player.
     """, """
     The recording hardly changes: the microphone hears only the air path, which your fingers do not touch.
     Only *you* hear the boom. That is the whole point of this notebook: what you hear and what a microphone
     (or a cloning model) hears are different signals.
     """),
    ("Undo it.", """
     Apply `conduction.as_others_hear_you` to the *recording* instead of to `mine`. **Predict** whether the
     result sounds brighter or darker than the recording, and why the boosts are capped at 24 dB.
     """, """
     Brighter and thinner: the inverse curve removes low weight and adds treble, showing what a recording of
     a voice that *sounded like your inner voice* would lack. The cap keeps a boost from amplifying the
     noise floor in bands where the forward curve had cut a lot.
     """),
])

QUIZ = quiz([
    ("Why does your recorded voice sound thinner to you than your speaking voice?",
     ["The microphone cuts the bass", "While you speak you also hear bone-conducted sound, which carries low "
      "and middle frequencies; the recording has only the air path", "Recordings raise the pitch"], 1,
     "Both you and the microphone get the air path; only you also get the bone path, strongest at low and "
     "middle frequencies (and dominant at 1-2 kHz for many phonemes)."),
    ("How large is the simulated change in the low/high balance with open ears?",
     ["About 1 dB", "About 5-7 dB: audible in a direct A/B on headphones, subtle on laptop speakers",
      "Over 20 dB"], 1,
     "+2-3 dB below 1.5 kHz and -3 to -7 dB above 3 kHz. Over 20 dB is the occlusion effect (ears plugged)."),
    ("A voice clone built from your recording sounds 'off' to you. What should you compare it with?",
     ["Your inner voice", "A recording of yourself, or the judgement of someone who knows your voice",
      "A bass-boosted clone"], 1,
     "The model learned from the air path only, as others hear you. Judge it the same way."),
])

cells = [
    md("""
    # 02 · Why your recorded voice sounds wrong to you: bone and air conduction

    TIME

    Almost everybody dislikes hearing their own voice on a recording: "that's not me, I sound thinner, higher".
    The recording is not lying. It captures your voice the way everybody else hears it. *You* hear
    something else, because while you speak your voice reaches your inner ears by two paths.

    **In this notebook you will**

    1. learn the two paths, air and bone, and the *occlusion effect* you get when you plug your ears;
    2. see the model the lab uses, as transfer curves, with the published numbers behind it and the
       places where no number is published;
    3. listen to a recording, the same voice "as its speaker hears it", and the difference;
    4. record yourself and compare your recording with "how you hear yourself", and rate both;
    5. see why a voice clone can sound "off" to its owner even when it matches.

    The code lives in `toolkit.conduction` (the model), `toolkit.plot.plot_transfer_curves` (the figure) and
    `toolkit.ui.conduction_explorer` (the sliders). The voices are real recordings shipped in `media/`: a male
    LibriSpeech reader and a female VCTK speaker (both CC BY 4.0).
    """.replace("TIME", time_and_glossary("about 40 minutes, plus 15 for the exercises"))),
    code("""
    import matplotlib
    matplotlib.use("module://matplotlib_inline.backend_inline")
    import matplotlib.pyplot as plt
    import numpy as np
    from IPython.display import Markdown, display

    from toolkit import conduction, media
    from toolkit.audio import Clip
    from toolkit.plot import plot_transfer_curves
    from toolkit.ui.notebook import players, voice

    clip = voice("libri_2033_ref")    # a man: LibriSpeech reader 2033
    clip_f = voice("vctk_p228_ref")   # a woman: VCTK p228, for the second-voice comparison
    print(f"Main clip: {clip.name}; second voice: {clip_f.name}")
    """),
    md("""
    ## 1 · Two paths to your ears

    **The air path.** Sound leaves your mouth, spreads out, curls around your cheek and enters your ear canals.
    Everyone around you, and every microphone, hears *only* this path. One detail matters here: low
    frequencies spread out in all directions, while high frequencies beam forward, out of the mouth. Your
    own ears sit at the side of your head, so they get a little less treble than someone standing in front
    of you.

    **The bone path.** Your vocal folds and the air in your throat and mouth make the walls of the vocal
    tract vibrate. Those vibrations travel through soft tissue and the skull and reach the cochlea (the inner
    ear) directly, and they also make the walls of your ear canals vibrate and radiate sound into the canals.
    Heavy, soft structures pass slow vibrations well and damp fast ones, so this path carries the **low and
    middle frequencies** and loses the treble.

    **The mix.** What you hear while speaking is both paths together. Georg von Békésy, who later won the
    Nobel prize for his work on the cochlea, measured in 1949 that the two are *of the same order of
    magnitude*. Reinfeldt and colleagues (2010) measured ten phonemes and found that bone conduction
    actually **dominates between 1 and 2 kHz** for most of them. A recording keeps only the air path. Played
    back, your voice lacks that low and middle weight, so it sounds thinner and higher than the voice you
    know.

    **The occlusion effect.** Put your fingers in your ears and say "aaa": your voice becomes loud and
    boomy. In an open ear, the sound that the vibrating canal walls make escapes through the opening. A plug
    traps it, so the low frequencies of the bone path grow by up to about 20 dB, while the plug weakens the
    air path. Hearing-aid users know this effect well: a closed earmould makes their own voice boom.
    """),
    code("""
    # A sketch of the two paths (not to scale).
    from matplotlib.patches import Circle, Ellipse, FancyArrowPatch

    fig, ax = plt.subplots(figsize=(6.5, 3.4), layout="constrained")
    ax.add_patch(Circle((0, 0), 1.0, fc="#f3e2d0", ec="0.3"))                     # head, seen from above
    ax.add_patch(Ellipse((0.98, 0.0), 0.16, 0.3, fc="#c0504d", ec="0.3"))          # mouth (facing right)
    ax.add_patch(Ellipse((0.0, 1.0), 0.3, 0.14, fc="#e8c4a0", ec="0.3"))           # ear (top side)
    ax.add_patch(Circle((0.05, 0.72), 0.07, fc="#6a4c93", ec="none"))               # cochlea
    ax.text(-0.05, 0.72, "cochlea", ha="right", va="center", fontsize=8)
    ax.add_patch(FancyArrowPatch((1.1, 0.15), (0.15, 1.12), connectionstyle="arc3,rad=0.55",
                                 arrowstyle="-|>", mutation_scale=14, color="C0", lw=2))
    ax.text(1.25, 1.0, "air path\\n(around the head:\\nless treble at the ear)", color="C0", fontsize=9)
    ax.add_patch(FancyArrowPatch((0.85, -0.05), (0.1, 0.66), connectionstyle="arc3,rad=-0.1",
                                 arrowstyle="-|>", mutation_scale=14, color="C3", lw=2, ls="--"))
    ax.text(0.15, -0.35, "bone path\\n(skull and tissue:\\nlow and mid frequencies)", color="C3", fontsize=9)
    ax.add_patch(FancyArrowPatch((1.12, -0.05), (2.05, -0.05), arrowstyle="-|>", mutation_scale=14, color="C0", lw=2))
    ax.text(2.1, -0.12, "microphone:\\nair only", fontsize=9)
    ax.set_xlim(-1.2, 2.9); ax.set_ylim(-1.15, 1.5); ax.set_aspect("equal"); ax.axis("off")
    ax.set_title("Your voice reaches your ears by two paths; a recording gets one", fontsize=10)
    plt.show()
    """, hide=True),
    md("""
    ## 2 · The model, and the numbers behind it

    `toolkit.conduction` describes each path as a gain in dB, relative to the recording (a microphone in front
    of you), at ten frequencies. The two paths carry the same voice but with a phase relation nobody has
    measured for your head, so the model adds them **in power**. Between the table's frequencies the gain is
    interpolated on a log-frequency axis.

    Be clear about what is measured and what is ours. Published studies give *statements and figures*: the
    two paths are of the same order (von Békésy 1949); bone dominates at 1-2 kHz for most phonemes, with
    differences between phonemes (Reinfeldt et al. 2010); air dominates at high frequencies (Pörschmann 2000);
    speech radiates forward at high frequencies (Chu & Warnock 2002); the occlusion effect is up to about
    20 dB around 250 Hz and small above 1 kHz (Stenfelt & Reinfeldt 2007; Canadian Audiologist 2025). **Every value below
    that is not one of those statements is our own smoothed parameter, not a number read off a figure.**
    Real values differ between people and phonemes by 5-10 dB, which is why there is a `bone_mix` knob.

    Gains in dB re the recording (bone mix 1):
    """),
    md(_gain_table_md()),
    code("""
    table = conduction.gain_table()
    curves = conduction.transfer_curves(sr=16000, n_freqs=400)
    fig, ax = plt.subplots(figsize=(8, 3.4), layout="constrained")
    plot_transfer_curves(curves, ax=ax, table=table)
    plt.show()
    """),
    md("""
    Read the black curve: up to 1.5 kHz, what you hear has **2-3 dB more** than the recording (the bone path
    adds its energy to the air path); from 3 kHz on it has **3-7 dB less** (your ears sit beside the mouth,
    and the bone path carries almost no treble). The overall level does not matter here (the toolkit matches
    levels); what you notice is the tilt between low and high. That tilt is the whole "my voice sounds
    thinner on tape" effect, as far as this model goes.

    ### The idea in five lines

    A filter that follows a curve like this is easy to make: sample the wanted gain on a frequency grid and
    let `scipy.signal.firwin2` design a linear-phase FIR filter. Because its taps are symmetric, it delays
    every frequency by the same `(numtaps - 1) / 2` samples; drop that many samples and the output lines up
    with the input.
    """),
    code("""
    from scipy.signal import firwin2, oaconvolve

    grid_hz = np.linspace(0, clip.sr / 2, 1025)
    gain_db = np.interp(np.log(np.maximum(grid_hz, 1)), np.log(table.freqs_hz), table.mixed_db)
    h = firwin2(1025, grid_hz, 10 ** (gain_db / 20), fs=clip.sr)
    mine_inline = oaconvolve(clip.y, h)[512:512 + len(clip.y)]           # drop the delay: same length, aligned
    mine_inline *= np.sqrt(np.mean(clip.y ** 2) / np.mean(mine_inline ** 2))  # same RMS level

    mine = conduction.as_you_hear_yourself(clip.y, sr=clip.sr)            # this is toolkit.conduction
    print(f"inline version vs toolkit: largest difference {np.max(np.abs(mine - mine_inline)):.4f}")
    """),
    md("""
    `as_you_hear_yourself` does exactly this, and also checks its input, matches the RMS level, and never
    clips: if the low-frequency boost would push a peak past full scale, it turns the whole clip down a
    little.

    ## 3 · Listen

    Headphones help. First the recording (how everybody else hears this speaker), then the same recording
    "as its speaker hears it", then the difference, which is what the bone path and the head add.
    """),
    code("""
    # players() (toolkit.ui.notebook) never normalises: the three play at their real levels
    diff = mine - clip.y
    players([("Recording (others hear)", (clip.y, clip.sr)), ("As the speaker hears it", (mine, clip.sr)),
             ("Difference", (diff, clip.sr))])

    before = conduction.band_energy_ratio_db(clip.y, sr=clip.sr)
    after = conduction.band_energy_ratio_db(mine, sr=clip.sr)
    print(f"energy 100-1000 Hz over 2-6 kHz: recording {before:.1f} dB, as heard {after:.1f} dB "
          f"({after - before:+.1f} dB)")
    print(f"length {len(clip.y)} → {len(mine)} samples; peak {np.abs(clip.y).max():.3f} → {np.abs(mine).max():.3f}")
    """),
    md("""
    **How big is the lift, and can you hear it?** Plainly: the model tips the balance between the lows
    (100-1000 Hz) and the highs (2-6 kHz) by the number printed above, about 5-7 dB on these voices, made of
    +2-3 dB below 1.5 kHz and -3 to -7 dB above 3 kHz. It is *not* a dramatic bass boost. A change of a
    few dB in the balance of a broad band is clearly audible when you switch straight between the two players
    on headphones (listeners notice level changes of about 1 dB in a band of a steady sound), but subtle
    on laptop speakers, which play little below 200 Hz, and easy to miss if you listen to one and then the
    other minutes later. The "ears plugged" version below is the dramatic one: over 20 dB.
    """),
    md("""
    The long-term average spectrum shows the same thing on the real voice. Both versions have the same
    overall (RMS) level, and most of a voice's energy lies below 1 kHz, so the low part hardly moves. Above
    2 kHz the "as heard" version is 5-10 dB weaker. The balance tips toward the low end, and that is the
    "fuller, deeper" voice you know.
    """),
    code("""
    from toolkit.analysis import long_term_spectrum_db

    fig, ax = plt.subplots(figsize=(8, 3.2), layout="constrained")
    for y, label, color in ((clip.y, "recording", "C0"), (mine, "as the speaker hears it", "k")):
        f_hz, level_db = long_term_spectrum_db(y, sr=clip.sr)
        ax.semilogx(f_hz[1:], level_db[1:], label=label, color=color, lw=1.2)
    ax.set_xlim(60, clip.sr / 2); ax.set_xlabel("frequency (Hz)"); ax.set_ylabel("level (dB)")
    ax.set_title(f"Long-term average spectrum: {clip.name}", fontsize=10); ax.legend()
    plt.show()
    """),
    md("""
    ### A second voice, and your ears plugged

    Here is a second speaker, a woman (the first was a man), and the first one as heard with the ears plugged.
    Her voice has less energy below 200 Hz to lift, so the same curve changes her balance a little less.
    Before you listen, put your fingers in your ears and talk: the boom you hear is the occlusion effect.
    """),
    code("""
    plugged = conduction.as_you_hear_yourself(clip.y, sr=clip.sr, occlusion=True)
    mine_f = conduction.as_you_hear_yourself(clip_f.y, sr=clip_f.sr)
    players([("second voice (female): recording", (clip_f.y, clip_f.sr)), ("as she hears it", (mine_f, clip_f.sr))])
    players([("first voice (male): ears open", (mine, clip.sr)), ("ears plugged", (plugged, clip.sr))])
    for name, y, out in ((clip_f.name, clip_f.y, mine_f), (clip.name + ", plugged", clip.y, plugged)):
        sr = clip_f.sr if y is clip_f.y else clip.sr
        change = conduction.band_energy_ratio_db(out, sr=sr) - conduction.band_energy_ratio_db(y, sr=sr)
        print(f"{name}: 100-1000 Hz vs 2-6 kHz {change:+.1f} dB")
    """),
    md("""
    ## 4 · Try it: the bone-mix slider and the occlusion toggle

    `bone_mix` scales the bone path: 0 is a recording seen from your ear (air only), 1 is the model above,
    2 makes the bone path 6 dB stronger. Nobody has published a value for *your* head, so this knob stands
    for the differences between people. "Ears plugged" switches the occlusion effect on. The curves and the
    three players follow every change.
    """),
    code("""
    from toolkit.ui.conduction_explorer import ConductionExplorer

    explorer = ConductionExplorer(clip)
    explorer.widget
    """),
    code("""
    # What the slider does, done from code (this is also how the test suite drives it):
    explorer.bone_mix.value = 2.0
    explorer.occlusion.value = True
    print(f"{explorer.n_updates} redraws; the last took {explorer.last_update_s * 1000:.0f} ms")
    explorer.bone_mix.value = 1.0
    explorer.occlusion.value = False
    """),
    md("""
    ### The other direction: `as_others_hear_you`

    `as_others_hear_you` applies the inverse curve, with boosts capped at 24 dB. Give it a sound that matches
    the voice you know, and it estimates what others hear. Read the other way round, the inverse curve tells
    you what a recording lacks compared with your inner voice. Applied after `as_you_hear_yourself`, it gets
    the recording back:
    """),
    code("""
    back = conduction.as_others_hear_you(mine, sr=clip.sr)
    error = np.sqrt(np.mean((back - clip.y) ** 2) / np.mean(clip.y ** 2))
    print(f"forward then inverse: band-ratio change {conduction.band_energy_ratio_db(back, sr=clip.sr) - before:+.2f} dB, "
          f"waveform error {100 * error:.1f} % of the RMS")
    """),
    md("""
    ## 5 · Record yourself

    Record 5-10 seconds of your own voice (or upload a file). Then compare **your recording** with **how you
    hear yourself** in the explorer below, and move the slider until the second player sounds most like the
    voice you know.

    *When this notebook runs without a browser (for example in the test suite), no recording can arrive. The
    panel then starts with the lab's example clip, and everything below uses that clip.*
    """),
    code("""
    from toolkit.ui.recorder import RecorderPanel

    recorder = RecorderPanel(initial_example="libri_2033_ref")
    my_explorer = ConductionExplorer(recorder.clip)
    recorder.on_clip(my_explorer.set_clip)  # every new recording goes straight into the explorer
    display(recorder.widget, my_explorer.widget)
    if recorder.clip.source == "example":
        print(f"No recording yet: using the example clip “{recorder.clip.name}”. Record yourself above to replace it.")
    """),
    md("""
    ### Self-rating (two minutes)

    1. Play **your recording** and rate how much it sounds like you (1 = a stranger, 5 = exactly me).
    2. Play **as you hear yourself** and rate it the same way.
    3. Move the **bone mix** until it sounds most like you, rate again and save. Then try "ears plugged" while
       you speak with your fingers in your ears: does the model's boom match yours?

    There is no right answer. Heads differ, and the model's numbers are a rough average with some guesses
    (section 2). If the recording already sounds like you, perhaps you hear your recordings often. If no bone
    mix sounds right, remember that the model changes only the balance of frequencies: your inner voice
    also differs in ways a filter cannot copy.
    """),
    code("""
    from toolkit.ui.conduction_explorer import SelfRatingForm

    rating = SelfRatingForm(my_explorer)
    rating.widget
    """),
    md("""
    ## 6 · What this means for voice cloning

    A zero-shot cloning model builds its picture of your voice from a **recording**, that is, from the air
    path only. It is trained to reproduce what microphones pick up, and it is judged by listeners and
    speaker-verification models that also hear only the air path. So a clone can match your voice *as
    others hear it* and still sound "off" **to you**, because you compare it with your inner voice, which has
    the extra low and middle weight of the bone path.

    So when you judge your own clone:

    * compare it with a **recording** of yourself, not with the voice in your head;
    * ask someone who knows your voice, since they hear your air path all the time;
    * do not "fix" the clone by adding bass until it sounds like your inner voice: everyone else would then
      hear a voice darker than yours. `as_others_hear_you` shows how far apart the two are.

    The remaining differences (prosody, accent, emotion, noise in the reference) are real cloning errors;
    later notebooks deal with them.

    """),
    EXERCISES,
    QUIZ,
    md("""
    ## Further reading and sources

    * G. von Békésy (1949). The structure of the middle ear and the hearing of one's own voice by bone
      conduction. *J. Acoust. Soc. Am.* 21(3), 217-232. doi:10.1121/1.1906501. Air and bone parts of the
      own voice are of the same order of magnitude.
    * C. Pörschmann (2000). Influences of bone conduction and air conduction on the sound of one's own
      voice. *Acta Acustica united with Acustica* 86(6), 1038-1045. Measures the air path from mouth to
      ears around the head, and estimates the bone path with masking experiments.
    * S. Reinfeldt, P. Östli, B. Håkansson, S. Stenfelt (2010). Hearing one's own voice during phoneme
      vocalization: transmission by air and bone conduction. *J. Acoust. Soc. Am.* 128(2), 751-762.
      doi:10.1121/1.3458855. Bone conduction dominates between 1 and 2 kHz for most of ten phonemes.
    * S. Stenfelt, R. L. Goode (2005). Bone-conducted sound: physiological and clinical aspects.
      *Otology & Neurotology* 26(6), 1245-1261. A review of how bone-conducted sound reaches the cochlea.
    * S. Stenfelt, S. Reinfeldt (2007). A model of the occlusion effect with bone-conducted stimulation.
      *Int. J. Audiol.* 46(10), 595-608. doi:10.1080/14992020701545880. Occlusion effect for shallow and deep
      earplugs and an ear muff.
    * W. T. Chu, A. C. C. Warnock (2002). Detailed directivity of sound fields around human talkers. NRC
      Institute for Research in Construction, RR-104. Speech is omnidirectional at low frequencies and
      forward-beamed at high ones.
    * *Canadian Audiologist* 12(5) (2025), "Quick Answers" column: Minimizing the occlusion effect with
      musicians' earplugs. https://canadianaudiologist.ca/issue/volume-12-issue-5-2025/column/quick-answers.
      The clinical rule of thumb: up to 20 dB at 250 Hz, minimal above 1 kHz.
    * D. Maurer, T. Landis (1990). Role of bone conduction in the self-perception of speech. *Folia
      Phoniatrica* 42, 226-229. Listeners mixed recorded air- and bone-conducted speech until it matched
      their own voice.
    * P. Orepić, O. A. Kannape, N. Faivre, O. Blanke (2023). Bone conduction facilitates self-other voice
      discrimination. *Royal Society Open Science* 10, 221561. doi:10.1098/rsos.221561. Self-voice is
      recognised better when played through bone-conduction headphones.

    ## Credits

    Real speech, shipped in `media/` (credits in `media/README.md`): VCTK speaker p228 (CSTR VCTK Corpus,
    CC BY 4.0, University of Edinburgh) and LibriSpeech reader 2033 (LibriSpeech ASR corpus, (c) 2014 Vassil
    Panayotov, CC BY 4.0, from LibriVox recordings in the public domain). The model and its
    parameters are described in `toolkit/conduction.py`. The text is the lab's own.
    """),
]

if __name__ == "__main__":
    write("02_bone_vs_air", cells, title="02 · Bone and air conduction")
