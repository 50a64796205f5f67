#!/usr/bin/env python3
"""Makes the sample site's short video clips: narrated slideshows of each video page's facts.

    python3 scripts/sample-art/clips.py site/static      # every clip
    python3 scripts/sample-art/clips.py site/static how-to-use-search

For each clip in CLIPS it writes, under the given static/ folder:
  videos/NAME.mp4          640x360 H.264 (10 frames a second, one still per slide) + AAC mono
                           narration, `faststart` (the index first, so a player starts at once);
  captions/NAME.en.vtt     WebVTT captions: one cue per spoken phrase, timed from the narration;
  captions/NAME.es.vtt     Spanish captions of the same phrases and times, for clips with `es`;
  images/videos/NAME.jpg   the poster: the title slide at 1600x900, through the image pipeline.
and prints each clip's duration and its transcript (the narration, one paragraph a slide), which
the video page's `transcript:` gives word for word (tests/browser/media.mjs checks that every
caption is in the page's transcript).

Needs espeak-ng (the narrator's voice, en-us) and ffmpeg (libx264, aac) from apt, and Pillow.
The slides are drawn with draw.py's Canvas, in the theme's colours and the bundled font. ffmpeg
runs with one thread and bit-exact flags, so the same tools give the same bytes.
"""

import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from draw import ACCENT, BRAND, HAIR, INK, PAPER, SCRUBS, SKIN, WHITE, YELLOW, Canvas  # noqa: E402

RATE = 22050  # espeak-ng's sample rate
GAP = 0.3  # silence between phrases, seconds
LEAD = 0.5  # silence before the first phrase and after each slide's last one

# Each clip: title, then slides. A slide: heading, the lines shown under it, and the phrases the
# narrator says (each phrase is one caption cue). A Spanish clip gives `es`: the same phrases in
# Spanish, one for one (they become the Spanish captions, at the same times).
CLIPS = {
    "lmp-website-overview": {
        "title": "LMP website overview",
        "slides": [
            ("LMP website overview", ["LMPartnership.org"],
             ["Welcome to LMPartnership.org, the website of the Labor Management Partnership."]),
            ("The main menu", ["Stories", "How-to guides", "Practices", "Tools"],
             ["Stories tell what teams across the partnership are doing.",
              "How-to guides walk you through a task, step by step.",
              "Practices show what has worked for other teams.",
              "Tools are checklists, templates and puzzles to download."]),
            ("Search", ["The whole site", "Filters: region, topic, audience"],
             ["Search covers the whole site,", "and filters narrow it by region, topic and audience."]),
            ("About", ["Regional communications consultants", "Hank magazine", "LMP Insider newsletter"],
             ["About has your contacts, Hank magazine and the LMP Insider."]),
        ],
    },
    "how-to-find-how-to-guides": {
        "title": "How to find how-to guides",
        "slides": [
            ("How to find how-to guides", [], ["How to find the how-to guides on the LMP website."]),
            ("Open “How-to guides”", ["Main menu → How-to guides", "Newest first, with a summary"],
             ["Choose How-to guides in the main menu:",
              "every guide, newest first, with a one-line summary."]),
            ("Guides by audience", ["Each guide says who it is for"],
             ["Each guide names who it is for; choose an audience to list its guides."]),
            ("Numbered steps", ["Each step has its own heading", "Link straight to a step"],
             ["Each step has its own heading, so you can link a colleague straight to it."]),
            ("Tools and a checklist", ["Download the tools a guide uses", "Copy its checklist"],
             ["Many guides link to their tools, and end with a checklist for your team."]),
        ],
    },
    "how-to-find-team-tested-practices": {
        "title": "How to find and use team-tested practices",
        "slides": [
            ("Team-tested practices", [],
             ["Want to improve service or quality? Try practices other teams have tested."]),
            ("Open “Practices”", ["Main menu → Practices"], ["Choose Practices in the main menu."]),
            ("What each practice tells you", ["Region, department and team", "Topics",
                                             "Results: a measure, before and after"],
             ["Each practice gives its region, department, team and topics,",
              "and its results: a measure, before and after."]),
            ("Narrow the list", ["Filter by topic and by region"],
             ["Narrow the list by topic and region, then open a practice."]),
            ("Make it yours", ["Adapt it to your team", "Test it: Rapid Improvement Model"],
             ["Adapt it to your team, and test it with the Rapid Improvement Model."]),
        ],
    },
    "how-to-find-tools": {
        "title": "How to find the tools on the LMP website",
        "slides": [
            ("How to find the tools", [], ["How to find the tools on the LMP website."]),
            ("Kinds of tools", ["Checklists", "Templates", "Puzzles", "Worksheets and guides"],
             ["Checklists, so nothing is missed; templates to start from;",
              "puzzles to warm up a meeting; worksheets and guides."]),
            ("Open “Tools”", ["Main menu → Tools", "Choose a tool, download its file"],
             ["Choose Tools in the main menu, pick a tool, and download its file."]),
            ("Use it with your team", ["Print it for the huddle board", "Agree who keeps it up to date",
                                       "Review it after a month"],
             ["Print it for the huddle board, agree who keeps it up to date,", "and review it after a month."]),
        ],
    },
    "how-to-find-ubt-basics": {
        "title": "How to find UBT basics on the LMP website",
        "slides": [
            ("UBT basics", [], ["Where the LMP website explains unit-based teams."]),
            ("“What is partnership?”", ["Home page → What is partnership?"],
             ["From the home page, open What is partnership?"]),
            ("A unit-based team", ["The whole natural work group", "Co-led by a manager and a frontline worker",
                                   "and a physician, where doctors take part"],
             ["A unit-based team is the whole natural work group,",
              "co-led by a manager and a frontline worker, and a physician where doctors take part."]),
            ("How teams work", ["Rapid Improvement Model", "Peer consultants", "Measured each quarter"],
             ["Teams learn the Rapid Improvement Model and have peer consultants,",
              "and are measured each quarter on performance, leadership and engagement."]),
            ("For new teams", ["How-to guides", "Tools: the UBT huddle checklist"],
             ["New teams will find guides and tools, such as the UBT huddle checklist."]),
        ],
        "es": {
            "title": "Cómo encontrar los conceptos básicos de los UBT en el sitio web de la LMP",
            "phrases": [
                "Dónde explica el sitio web de la LMP los equipos de unidad.",
                "Desde la página de inicio, abra ¿Qué es la asociación?",
                "Un equipo de unidad es todo el grupo natural de trabajo,",
                "codirigido por un gerente y un trabajador de primera línea, y por un médico donde participan médicos.",
                "Los equipos aprenden el Modelo de Mejora Rápida y cuentan con consultores de apoyo,",
                "y cada trimestre se miden en desempeño, liderazgo y participación.",
                "Los equipos nuevos encontrarán guías y herramientas, como la lista de verificación de la reunión breve del UBT.",
            ],
        },
    },
    "how-to-use-search": {
        "title": "How to use the search function on the LMP website",
        "slides": [
            ("Search like a pro", [], ["How to search the LMP website like a pro."]),
            ("Type a word", ["huddle"],
             ["Type a word, such as huddle, into the search box.",
              "Results are ranked, with your words highlighted in a short excerpt."]),
            ("Use the filters", ["Type, region, topic", "A count beside each filter"],
             ["Filters beside the results narrow them by type, region and topic,",
              "with a count beside each filter."]),
            ("More tips", ["A misspelled word still works", "Share a search: copy its address"],
             ["A misspelled word still finds what you meant,",
              "and you can share a search by copying its address."]),
        ],
        "es": {
            "title": "Cómo usar la función de búsqueda del sitio web de la LMP",
            "phrases": [
                "Cómo buscar en el sitio web de la LMP como un experto.",
                "Escriba una palabra, por ejemplo huddle, en el cuadro de búsqueda.",
                "Los resultados salen ordenados, con sus palabras resaltadas en un breve extracto.",
                "Los filtros junto a los resultados los limitan por tipo, región y tema,",
                "con un número junto a cada filtro.",
                "Una palabra mal escrita encuentra igual lo que usted buscaba,",
                "y puede compartir una búsqueda copiando su dirección.",
            ],
        },
    },
    "union-delegates-conference-2013": {
        "title": "Learning to lead: Jaki Bradley",
        "kicker": "LMP video",
        "slides": [
            ("Learning to lead", ["2013 Union Delegates Conference"],
             ["Learning to lead: Jaki Bradley at the 2013 Union Delegates Conference."]),
            ("Jaki Bradley", ["Nurse practitioner", "Mid-Atlantic States region"],
             ["Jaki Bradley is a nurse practitioner in the Mid-Atlantic States region."]),
            ("Her grandmother's example", ["2013 Union Delegates Conference"],
             ["Speaking to the delegates, she talked about her grandmother,",
              "and how her grandmother's example shaped the way she leads today."]),
            ("Talk about it with your team", ["Where did you learn to lead?"],
             ["Where did each of you learn to lead? Talk about it with your team."]),
        ],
    },
    "union-members": {
        "title": "Union members in the partnership",
        "kicker": "LMP video",
        "slides": [
            ("Union members in the partnership", [], ["Union members in the partnership."]),
            ("Frontline insight", ["Many different jobs", "The best experience for patients"],
             ["Frontline union members, in many different jobs,",
              "have the insight to create the best experience for patients."]),
            ("Partners as equals", ["With managers and physicians"],
             ["In partnership, they work with managers and physicians as equals."]),
            ("The contract still holds", ["A binding contract", "No rights or obligations given up"],
             ["Both sides still enforce a binding contract; neither gives up rights or obligations."]),
            ("In unit-based teams", ["Stewards and union co-leads", "Coaching and mentoring peers"],
             ["In unit-based teams, stewards and union co-leads partner with supervisors,",
              "and union co-leads coach and mentor their peers."]),
        ],
    },
}


def slide(c, title, heading, lines, k, n, kicker="LMP website help"):
    """One slide on canvas c (any 16:9 size; drawn in 640x360 units scaled)."""
    u = c.w / 640
    if k == 0:  # the title slide (and poster): the clip's title over a row of five people
        c.rect(0, 0, c.w, c.h, BRAND)
        c.text(40 * u, 36 * u, kicker, 18 * u, YELLOW)
        y = c.wrap(40 * u, 70 * u, title, 36 * u, 560 * u, WHITE, leading=1.2)
        for i, ln in enumerate(lines):
            c.text(40 * u, y + 8 * u + i * 28 * u, ln, 20 * u, (210, 225, 240))
        for i in range(5):
            c.person((380 + i * 55) * u, 350 * u, 110 * u, SCRUBS[i], SKIN[i], HAIR[i])
        c.rect(0, c.h - 12 * u, c.w, 12 * u, ACCENT)
        return
    c.rect(0, 0, c.w, c.h, PAPER)
    c.rect(0, 0, c.w, 48 * u, BRAND)
    c.text(24 * u, 24 * u, title, 16 * u, WHITE, anchor="lm")
    c.text(616 * u, 24 * u, f"{k + 1}/{n}", 16 * u, YELLOW, anchor="rm")
    c.rect(24 * u, 80 * u, 8 * u, 44 * u, ACCENT)
    y = c.wrap(48 * u, 82 * u, heading, 32 * u, 560 * u, BRAND, leading=1.2)
    y += 16 * u
    for ln in lines:
        c.circle(58 * u, y + 13 * u, 6 * u, ACCENT)
        y = c.wrap(78 * u, y, ln, 24 * u, 530 * u, INK, leading=1.25) + 10 * u
    c.rect(0, c.h - 6 * u, c.w, 6 * u, ACCENT)


def speak(text, out):
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "175", "-w", str(out), text], check=True)
    with wave.open(str(out)) as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
        return w.readframes(w.getnframes())


def ts(t):
    ms = round(t * 1000)
    return f"{ms // 3600000:02}:{ms // 60000 % 60:02}:{ms // 1000 % 60:02}.{ms % 1000:03}"


def cue_lines(text, width=42):
    """A caption cue's text on at most two lines of about `width` characters."""
    if len(text) <= width:
        return text
    words = text.split()
    best = None
    for i in range(1, len(words)):
        a, b = " ".join(words[:i]), " ".join(words[i:])
        # Balanced lines, preferably broken after a comma or the end of a sentence.
        score = max(len(a), len(b)) - (10 if a[-1] in ",;:.?" else 0)
        if best is None or score < best[0]:
            best = (score, a, b)
    return f"{best[1]}\n{best[2]}"


def vtt(lang, name, cues):
    out = ["WEBVTT", "",
           f"NOTE {'English' if lang == 'en' else 'Spanish'} captions for /videos/{name}.mp4, "
           "made by scripts/sample-art/clips.py.", ""]
    for i, (a, b, text) in enumerate(cues, 1):
        out += [str(i), f"{ts(a)} --> {ts(b)}", cue_lines(text), ""]
    return "\n".join(out)


def make(name, clip, static, tmp):
    slides = clip["slides"]
    n = len(slides)
    pcm, cues, times = b"", [], []
    silence = lambda s: b"\0\0" * round(s * RATE)  # noqa: E731
    t = 0.0
    for k, (heading, lines, phrases) in enumerate(slides):
        start = t
        pcm += silence(LEAD if k == 0 else 0)
        t += LEAD if k == 0 else 0
        for j, p in enumerate(phrases):
            a = speak(p, tmp / f"{k}-{j}.wav")
            d = len(a) / 2 / RATE
            cues.append((t, t + d, p))
            pcm += a
            t += d
            gap = GAP if j < len(phrases) - 1 else LEAD
            pcm += silence(gap)
            t += gap
        times.append(t - start)
        c = Canvas(640, 360)
        slide(c, clip["title"], heading, lines, k, n, clip.get("kicker", "LMP website help"))
        c.save(tmp / f"slide{k}.png")
        if k == 0:
            poster = Canvas(1600, 900)
            slide(poster, clip["title"], heading, lines, 0, n, clip.get("kicker", "LMP website help"))
            poster.save(static / "images" / "videos" / f"{name}.jpg")
    with wave.open(str(tmp / "narration.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm)
    # One still a slide, each for its narration's time, at 10 frames a second.
    args = ["ffmpeg", "-v", "error", "-y", "-threads", "1"]
    for k, d in enumerate(times):
        args += ["-loop", "1", "-framerate", "10", "-t", f"{d:.3f}", "-i", str(tmp / f"slide{k}.png")]
    args += ["-i", str(tmp / "narration.wav")]
    chain = "".join(f"[{k}:v]" for k in range(n)) + f"concat=n={n}:v=1:a=0,format=yuv420p[v]"
    out = static / "videos" / f"{name}.mp4"
    out.parent.mkdir(parents=True, exist_ok=True)
    args += ["-filter_complex", chain, "-filter_complex_threads", "1", "-map", "[v]", "-map", f"{n}:a",
             "-c:v", "libx264", "-preset", "slow", "-tune", "stillimage", "-crf", "30", "-profile:v", "main",
             "-g", "50", "-x264-params", "threads=1",
             "-c:a", "aac", "-b:a", "24k", "-ac", "1",
             "-shortest", "-movflags", "+faststart", "-map_metadata", "-1",
             "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact", str(out)]
    subprocess.run(args, check=True)
    caps = static / "captions"
    caps.mkdir(parents=True, exist_ok=True)
    (caps / f"{name}.en.vtt").write_text(vtt("en", name, cues))
    if "es" in clip:
        es = clip["es"]["phrases"]
        assert len(es) == len(cues), f"{name}: {len(es)} Spanish phrases for {len(cues)} cues"
        (caps / f"{name}.es.vtt").write_text(vtt("es", name, [(a, b, p) for (a, b, _), p in zip(cues, es)]))
    total = t
    print(f"== {name}: {total:.1f} s, {out.stat().st_size} bytes, duration: \"{int(total // 60)}:{round(total % 60):02}\"")
    print("transcript: |")
    for _, _, phrases in slides:
        print("  " + " ".join(phrases))
        print()
    if "es" in clip:
        print("es transcript: |")
        i = 0
        for _, _, phrases in slides:
            print("  " + " ".join(clip["es"]["phrases"][i:i + len(phrases)]))
            print()
            i += len(phrases)


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    static = Path(argv[1])
    names = argv[2:] or list(CLIPS)
    for tool in ("espeak-ng", "ffmpeg"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install -y {tool}")
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            make(name, CLIPS[name], static, Path(tmp))


if __name__ == "__main__":
    main(sys.argv)
