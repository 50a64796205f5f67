#!/usr/bin/env python3
"""Draws the sample site's illustrations and the slides of its video clips.

Our own artwork (the project's licence), so every picture in the sample site has a known licence.
Flat drawings in the theme's colours: people as a round head and a rounded body, tables, boards,
documents, charts and a map, so that each page's alt text can say exactly what is shown. Every
figure drawn in a chart comes from /work/shared/LMP_FACTS.md (and is stated on the page it
illustrates).

    python3 scripts/sample-art/draw.py images site/static/images   # lead and body illustrations
    python3 scripts/sample-art/draw.py slides DIR                     # slides of the clips (clips.py)

Output is a pure function of the code, Pillow (written with 13.0) and the font the build bundles
(src/media/fonts/DejaVuSans-Bold.ttf): no system font, no randomness. Each drawing is made at twice
its size and scaled down (anti-aliasing), then saved as a JPEG (quality 86, no metadata): 1600 px
wide at most, so the sample site's cold build stays quick.
"""

import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[2]
FONT = ROOT / "src" / "media" / "fonts" / "DejaVuSans-Bold.ttf"
SS = 2  # supersampling factor

# The theme's colours (themes/lmp/static/css: --brand, --accent, --focus, --focus-dark, --paper...).
BRAND = (0, 58, 93)
ACCENT = (15, 108, 189)
ORANGE = (196, 79, 0)
YELLOW = (255, 200, 61)
PAPER = (244, 246, 248)
RULE = (213, 218, 224)
TRACK = (221, 227, 234)
INK = (27, 31, 36)
MUTED = (75, 85, 99)
WHITE = (255, 255, 255)
SKY = (226, 238, 248)
WOOD = (170, 120, 80)
WOOD_DARK = (130, 88, 56)
GREEN = (40, 120, 80)

SCRUBS = [(0, 98, 152), (0, 130, 120), (92, 60, 140), (196, 80, 40), (40, 110, 60), (180, 40, 90)]
SKIN = [(241, 194, 160), (198, 134, 90), (141, 85, 36), (224, 172, 130), (110, 66, 40)]
HAIR = [(40, 30, 25), (90, 60, 30), (20, 20, 20), (150, 110, 60), (60, 40, 30)]


def font(px):
    return ImageFont.truetype(str(FONT), int(px * SS))


class Canvas:
    """A drawing in 1x coordinates, made at SS times the size."""

    def __init__(self, w, h, bg=PAPER):
        self.w, self.h = w, h
        self.img = Image.new("RGB", (w * SS, h * SS), bg)
        self.d = ImageDraw.Draw(self.img)

    def _p(self, pts):
        return [(x * SS, y * SS) for x, y in pts]

    def rect(self, x, y, w, h, fill, r=0, outline=None, width=0):
        box = [x * SS, y * SS, (x + w) * SS, (y + h) * SS]
        if r:
            self.d.rounded_rectangle(box, r * SS, fill=fill, outline=outline, width=int(width * SS))
        else:
            self.d.rectangle(box, fill=fill, outline=outline, width=int(width * SS))

    def circle(self, cx, cy, r, fill, outline=None, width=0):
        self.d.ellipse([(cx - r) * SS, (cy - r) * SS, (cx + r) * SS, (cy + r) * SS], fill=fill,
                       outline=outline, width=int(width * SS))

    def ellipse(self, x, y, w, h, fill):
        self.d.ellipse([x * SS, y * SS, (x + w) * SS, (y + h) * SS], fill=fill)

    def poly(self, pts, fill, outline=None, width=0):
        self.d.polygon(self._p(pts), fill=fill, outline=outline, width=int(width * SS))

    def line(self, pts, fill, width):
        self.d.line(self._p(pts), fill=fill, width=int(width * SS), joint="curve")

    def arc(self, cx, cy, r, start, end, fill, width):
        self.d.arc([(cx - r) * SS, (cy - r) * SS, (cx + r) * SS, (cy + r) * SS], start, end,
                   fill=fill, width=int(width * SS))

    def text(self, x, y, s, size, fill=INK, anchor="la"):
        self.d.text((x * SS, y * SS), s, font=font(size), fill=fill, anchor=anchor)

    def text_width(self, s, size):
        return self.d.textlength(s, font=font(size)) / SS

    def wrap(self, x, y, s, size, width, fill=INK, leading=1.3, anchor="la"):
        """Text wrapped on words to `width`; returns the y below the last line."""
        words, line, lines = s.split(), "", []
        for w in words:
            t = (line + " " + w).strip()
            if self.text_width(t, size) > width and line:
                lines.append(line)
                line = w
            else:
                line = t
        if line:
            lines.append(line)
        for i, ln in enumerate(lines):
            self.text(x, y + i * size * leading, ln, size, fill, anchor)
        return y + len(lines) * size * leading

    # People ----------------------------------------------------------------------------------
    def person(self, x, feet, s, body, skin, hair=None, coat=False, tie=False):
        """Standing person, `s` tall, centred on x: rounded body, head, optional hair."""
        head = s * 0.12
        bw = s * 0.36
        top = feet - s * 0.70
        self.rect(x - bw / 2, top, bw, s * 0.70, body, r=s * 0.12)
        if coat:  # a white coat open over scrubs
            self.rect(x - bw / 2, top, bw * 0.36, s * 0.70, WHITE, r=s * 0.1)
            self.rect(x + bw * 0.14, top, bw * 0.36, s * 0.70, WHITE, r=s * 0.1)
        if tie:
            self.poly([(x - s * 0.03, top), (x + s * 0.03, top), (x + s * 0.02, top + s * 0.25),
                       (x, top + s * 0.3), (x - s * 0.02, top + s * 0.25)], (150, 30, 40))
        hy = top - head * 1.05
        if hair:
            self.circle(x, hy - head * 0.12, head * 1.08, hair)
        self.circle(x, hy, head, skin)

    def seated_back(self, x, y, s, body, hair):
        """A person seen from behind (audience), head and shoulders; y = shoulder line."""
        self.rect(x - s * 0.5, y, s, s * 0.8, body, r=s * 0.3)
        self.circle(x, y - s * 0.18, s * 0.3, hair)

    def top_person(self, x, y, s, body, skin, hair):
        """A person seen from above: shoulders and head."""
        self.ellipse(x - s, y - s * 0.55, s * 2, s * 1.1, body)
        self.circle(x, y, s * 0.5, hair)

    def table_side(self, x, y, w, h=18, legs=True):
        self.rect(x, y, w, h, WOOD, r=4)
        if legs:
            self.rect(x + 20, y + h, 14, 120, WOOD_DARK)
            self.rect(x + w - 34, y + h, 14, 120, WOOD_DARK)

    def sticky_notes(self, x, y, cols, rows, size, gap, seed):
        colours = [YELLOW, (255, 170, 170), (170, 220, 255), (190, 235, 180)]
        for c in range(cols):
            for r in range(rows):
                k = (c * 7 + r * 3 + seed) % 5
                if k == 4:
                    continue
                self.rect(x + c * (size + gap), y + r * (size + gap), size, size, colours[k % 4], r=2)
                for i in range(2):
                    self.rect(x + c * (size + gap) + size * 0.15, y + r * (size + gap) + size * (0.3 + i * 0.25),
                              size * 0.6 - i * size * 0.2, size * 0.08, MUTED)

    def save(self, path, quality=86):
        out = self.img.resize((self.w, self.h), Image.LANCZOS)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".png":
            out.save(path, optimize=True)
        else:
            out.save(path, quality=quality, optimize=True, progressive=False, subsampling="4:2:0")


def floor_and_wall(c, wall=(236, 240, 244), floor=(214, 206, 196), at=0.72):
    c.rect(0, 0, c.w, c.h * at, wall)
    c.rect(0, c.h * at, c.w, c.h * (1 - at), floor)
    c.rect(0, c.h * at - 6, c.w, 6, RULE)


# The illustrations ------------------------------------------------------------------------------
# Each function draws one picture; the comment says what the alt text says.

def book_three_chapters(c):
    # An open book with three coloured bookmarks marking three chapters, on a desk.
    c.rect(0, 0, c.w, c.h, (232, 238, 244))
    c.rect(0, 620, c.w, 280, (196, 168, 132))
    cx, top, pw, ph = 800, 180, 560, 520
    c.poly([(cx - pw - 20, top + 30), (cx, top + 10), (cx + pw + 20, top + 30), (cx + pw + 30, top + ph + 40),
            (cx, top + ph + 20), (cx - pw - 30, top + ph + 40)], BRAND)
    c.poly([(cx - pw, top + 20), (cx - 6, top), (cx - 6, top + ph), (cx - pw, top + ph + 20)], WHITE)
    c.poly([(cx + 6, top), (cx + pw, top + 20), (cx + pw, top + ph + 20), (cx + 6, top + ph)], (250, 250, 246))
    for side in (-1, 1):
        x0 = cx - pw + 60 if side < 0 else cx + 60
        c.rect(x0, top + 70, 300, 22, BRAND)
        for i in range(12):
            c.rect(x0, top + 130 + i * 28, 420 - (i * 37 % 90), 10, RULE)
    for i, col in enumerate([ACCENT, ORANGE, GREEN]):
        x = cx + 160 + i * 120
        c.poly([(x, top - 40), (x + 44, top - 40), (x + 44, top + 120), (x + 22, top + 96), (x, top + 120)], col)
    c.rect(cx - 4, top, 8, ph, (210, 210, 205))


def nurse_at_computer(c):
    # A nurse in blue scrubs at a computer on a wheeled cart beside a hospital bed.
    floor_and_wall(c)
    c.rect(1060, 160, 300, 200, (200, 225, 240), r=6, outline=WHITE, width=12)  # window
    # bed
    c.rect(900, 470, 560, 60, (120, 130, 140), r=10)
    c.rect(920, 400, 520, 90, WHITE, r=20)
    c.rect(1150, 390, 300, 110, (160, 200, 230), r=24)
    c.rect(930, 380, 150, 60, (250, 250, 250), r=26)
    c.rect(1420, 300, 24, 240, (120, 130, 140), r=8)
    for x in (940, 1400):
        c.rect(x, 530, 20, 110, (120, 130, 140))
        c.circle(x + 10, 650, 16, INK)
    # cart
    c.rect(480, 380, 220, 24, (150, 158, 168), r=6)
    c.rect(582, 404, 16, 220, (150, 158, 168))
    c.rect(500, 620, 180, 16, (150, 158, 168), r=6)
    for x in (510, 670):
        c.circle(x, 650, 14, INK)
    c.rect(500, 220, 180, 130, INK, r=8)
    c.rect(512, 232, 156, 106, ACCENT)
    for i in range(4):
        c.rect(526, 248 + i * 22, 110 - i * 18, 10, (200, 225, 245))
    c.rect(582, 350, 16, 30, INK)
    c.rect(500, 366, 170, 14, (90, 95, 105), r=4)
    # nurse
    c.person(380, 720, 470, SCRUBS[0], SKIN[1], HAIR[0])
    c.line([(440, 480), (520, 372)], SCRUBS[0], 34)
    c.circle(522, 370, 16, SKIN[1])


def hank_cover(c):
    # The cover of Hank magazine, Spring 2014, with two headlines.
    c.rect(0, 0, c.w, c.h, (225, 232, 238))
    c.rect(520, 70, 560, 760, (40, 40, 40))  # shadow
    c.rect(500, 50, 560, 760, WHITE)
    c.rect(500, 50, 560, 170, BRAND)
    c.text(540, 62, "Hank", 96, WHITE)
    c.text(542, 205, "Spring 2014", 30, YELLOW, anchor="ls")
    # cover picture: two people and a laptop
    c.rect(540, 250, 480, 300, SKY)
    c.person(690, 540, 250, SCRUBS[2], SKIN[2], HAIR[2])
    c.person(880, 540, 250, SCRUBS[1], SKIN[3], HAIR[3])
    c.rect(740, 470, 100, 60, INK, r=4)
    y = c.wrap(540, 580, "Fear, technology and reality", 36, 480, BRAND)
    c.wrap(540, y + 20, "One lesson at a time", 36, 480, ORANGE)


def team_at_board(c):
    # Five co-workers in scrubs in front of a huddle board covered in sticky notes; one points at it.
    floor_and_wall(c)
    c.rect(330, 90, 940, 460, WHITE, r=8, outline=(150, 158, 168), width=10)
    for k in range(3):
        c.rect(360 + k * 300, 120, 280, 24, TRACK)
        c.sticky_notes(370 + k * 300, 170, 3, 4, 70, 20, k)
    for i, x in enumerate([300, 560, 800, 1040, 1300]):
        c.person(x, 870, 440 + (i * 37 % 60), SCRUBS[i], SKIN[i], HAIR[i])
    c.line([(1330, 600), (1240, 430)], SCRUBS[4], 34)
    c.circle(1236, 424, 18, SKIN[4])


def questions(c):
    # Four co-workers at a table, with speech bubbles holding question marks above them.
    floor_and_wall(c, at=0.78)
    for i, x in enumerate([380, 640, 960, 1220]):
        c.person(x, 760, 420, SCRUBS[(i + 1) % 6], SKIN[(i + 2) % 5], HAIR[(i + 1) % 5])
    c.table_side(200, 600, 1200, 40)
    c.rect(300, 580, 160, 20, WHITE)
    c.rect(1100, 574, 140, 26, WHITE)
    for i, (x, y) in enumerate([(300, 120), (620, 60), (960, 90), (1240, 150)]):
        col = [ACCENT, ORANGE, GREEN, BRAND][i]
        c.rect(x, y, 150, 120, col, r=30)
        c.poly([(x + 50, y + 110), (x + 90, y + 110), (x + 55, y + 160)], col)
        c.text(x + 75, y + 62, "?", 86, WHITE, anchor="mm")


def bargaining_table(c):
    # Seen from above: two groups of four people facing each other across a long table with papers
    # on it, workers in scrubs on one side, managers in dark jackets on the other.
    c.rect(0, 0, c.w, c.h, (214, 206, 196))
    c.rect(220, 330, 1160, 240, WOOD, r=20)
    for i in range(4):
        x = 380 + i * 280
        c.top_person(x, 240, 110, SCRUBS[i], SKIN[i], HAIR[i])
        c.top_person(x, 660, 110, [BRAND, (70, 70, 80), (120, 60, 60), (60, 80, 70)][i], SKIN[(i + 3) % 5],
                     HAIR[(i + 2) % 5])
        c.rect(x - 50, 350, 100, 70, WHITE, r=4)
        c.rect(x - 50, 480, 100, 70, WHITE, r=4)
        for k in range(3):
            c.rect(x - 38, 364 + k * 16, 76 - k * 14, 6, TRACK)
            c.rect(x - 38, 494 + k * 16, 76 - k * 14, 6, TRACK)
    # a shared sheet in the middle of the table
    c.rect(740, 410, 120, 80, YELLOW, r=4)


def speaker(c):
    # A speaker at a lectern on a stage under a banner reading "2013 Union Delegates Conference",
    # with rows of delegates in front, seen from behind.
    c.rect(0, 0, c.w, c.h, (40, 52, 66))
    c.rect(0, 470, c.w, 120, (92, 70, 60))
    c.poly([(650, 180), (950, 180), (1150, 590), (450, 590)], (70, 82, 96))  # spotlight
    c.rect(300, 60, 1000, 120, BRAND, r=8)
    c.text(800, 120, "2013 Union Delegates Conference", 50, WHITE, anchor="mm")
    c.person(800, 480, 300, SCRUBS[2], SKIN[2], HAIR[2])
    c.poly([(720, 380), (880, 380), (860, 500), (740, 500)], WOOD)
    c.rect(700, 360, 200, 30, WOOD_DARK, r=4)
    for row in range(3):
        for k in range(9):
            x = 90 + k * 180 + (row % 2) * 90
            c.seated_back(x, 650 + row * 90, 110, SCRUBS[(k + row) % 6], HAIR[(k * 2 + row) % 5])


def agreement(c):
    # An agreement headed "Partnership Agreement 2018" with 22 signatures in two columns, a pen beside.
    c.rect(0, 0, c.w, c.h, (196, 168, 132))
    c.rect(440, 30, 720, 860, (60, 50, 40))
    c.rect(420, 10, 720, 860, WHITE)
    c.text(780, 80, "Partnership Agreement", 44, BRAND, anchor="mm")
    c.text(780, 130, "2018", 36, ORANGE, anchor="mm")
    for i in range(3):
        c.rect(480, 175 + i * 26, 600 - i * 60, 10, RULE)
    for col in range(2):
        for r in range(11):
            x, y = 480 + col * 320, 300 + r * 50
            c.line([(x, y + 24), (x + 240, y + 24)], TRACK, 3)
            k = col * 11 + r
            pts = [(x + 10 + j * 18, y + 16 - 12 * math.sin(j * 1.3 + k) - (j % 2) * 6) for j in range(9 + k % 4)]
            c.line(pts, [BRAND, ACCENT, INK][k % 3], 4)
    c.poly([(1200, 720), (1230, 700), (1470, 330), (1440, 310)], INK)
    c.poly([(1200, 720), (1215, 690), (1230, 700)], YELLOW)


def timeline(c):
    # A timeline: a star at 1997 (the partnership founded) and dots at the national agreements of
    # 2000, 2005, 2010, 2012, 2015 and 2018. Only years, so it reads the same in every language.
    c.rect(0, 0, c.w, c.h, PAPER)
    y = 470
    x0, x1 = 120, 1480

    def at(year):
        return x0 + (year - 1996) / (2019 - 1996) * (x1 - x0)

    c.line([(x0, y), (x1, y)], BRAND, 14)
    c.poly([(x1 + 40, y), (x1 - 10, y - 30), (x1 - 10, y + 30)], BRAND)
    # the star: 1997
    sx = at(1997)
    pts = []
    for i in range(10):
        r = 70 if i % 2 == 0 else 30
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((sx + r * math.cos(a), y + r * math.sin(a)))
    c.poly(pts, ORANGE)
    c.text(sx, y + 130, "1997", 48, ORANGE, anchor="mm")
    for k, year in enumerate([2000, 2005, 2010, 2012, 2015, 2018]):
        x = at(year)
        c.circle(x, y, 38, ACCENT, outline=WHITE, width=8)
        up = k % 2 == 0
        c.line([(x, y - 44 if up else y + 44), (x, y - 150 if up else y + 150)], MUTED, 4)
        c.text(x, y - 190 if up else y + 200, str(year), 48, BRAND, anchor="mm")
        # a document icon at each agreement
        dy = y - 330 if up else y + 250
        c.rect(x - 40, dy, 80, 100, WHITE, r=6, outline=BRAND, width=4)
        for i in range(4):
            c.rect(x - 26, dy + 20 + i * 18, 52 - i * 8, 6, TRACK)


def hank_insider_web(c):
    # A copy of Hank magazine, the LMP Insider newsletter and a phone showing the LMP website.
    c.rect(0, 0, c.w, c.h, (225, 232, 238))
    # magazine
    c.rect(160, 150, 420, 600, WHITE, outline=RULE, width=4)
    c.rect(160, 150, 420, 130, BRAND)
    c.text(190, 170, "Hank", 84, WHITE)
    c.rect(190, 310, 360, 220, SKY)
    c.person(300, 530, 180, SCRUBS[3], SKIN[0], HAIR[3])
    c.person(440, 530, 180, SCRUBS[1], SKIN[2], HAIR[2])
    for i in range(4):
        c.rect(190, 560 + i * 40, 330 - i * 40, 16, TRACK)
    # newsletter
    c.rect(650, 220, 400, 540, WHITE, outline=RULE, width=4)
    c.text(680, 250, "LMP Insider", 46, ACCENT)
    c.rect(680, 320, 340, 8, ACCENT)
    for i in range(10):
        c.rect(680, 350 + i * 36, 340 - (i * 53 % 120), 12, TRACK)
    # phone
    c.rect(1140, 160, 300, 600, INK, r=40)
    c.rect(1160, 220, 260, 480, WHITE)
    c.rect(1160, 220, 260, 60, BRAND)
    c.text(1180, 236, "LMP", 28, WHITE)
    c.rect(1180, 300, 220, 120, SKY)
    c.person(1290, 420, 100, SCRUBS[0], SKIN[3], HAIR[1])
    for i in range(6):
        c.rect(1180, 440 + i * 36, 200 - (i * 41 % 90), 12, [ACCENT, TRACK][i % 2])


def union_members(c):
    # Six workers in different work clothes standing together: scrubs, a lab coat, coveralls.
    c.rect(0, 0, c.w, c.h, SKY)
    c.rect(0, 660, c.w, 240, (200, 210, 190))
    # the hospital where they work, behind them
    c.rect(360, 120, 880, 560, (236, 240, 244))
    for r_ in range(3):
        for k in range(8):
            c.rect(400 + k * 106, 160 + r_ * 90, 60, 50, (170, 200, 225))
    c.rect(760, 130, 80, 24, (200, 30, 45))
    c.rect(788, 102, 24, 80, (200, 30, 45))
    outfits = [
        dict(body=SCRUBS[0]),
        dict(body=SCRUBS[1], coat=True),
        dict(body=(70, 80, 95)),  # coveralls
        dict(body=SCRUBS[5]),
        dict(body=(230, 232, 235)),  # lab coat
        dict(body=SCRUBS[2]),
    ]
    for i, o in enumerate(outfits):
        x = 280 + i * 210
        c.person(x, 820, 500 + (i * 41 % 70), o["body"], SKIN[(i + 1) % 5], HAIR[i % 5], coat=o.get("coat", False))
        if i == 2:  # a tool belt on the coveralls
            c.rect(x - 90, 640, 180, 22, (40, 40, 40))
            c.rect(x + 30, 660, 40, 50, (120, 90, 50), r=4)
        if i == 4:
            c.rect(x - 8, 400, 16, 300, (200, 204, 210))


# A simplified outline of Washington state (longitude, latitude), enough to be recognised.
WA = [(-124.7, 48.38), (-124.1, 46.9), (-124.05, 46.3), (-123.83, 46.19), (-123.2, 46.15), (-122.94, 46.1),
      (-122.75, 45.66), (-122.2, 45.58), (-121.2, 45.61), (-120.6, 45.75), (-119.34, 45.93),
      (-118.98, 46.0), (-117.04, 46.0), (-117.04, 49.0), (-122.75, 49.0),
      (-122.48, 48.75), (-122.6, 48.4), (-122.95, 48.1), (-123.43, 48.12), (-124.0, 48.16)]
PUGET = [(-122.75, 48.4), (-122.3, 48.0), (-122.3, 47.55), (-122.45, 47.25), (-122.9, 47.05),
         (-122.75, 47.3), (-122.6, 47.7), (-122.95, 48.05)]


def washington_map(c):
    # A simplified map of Washington state: dots for Seattle on Puget Sound and for Spokane.
    c.rect(0, 0, c.w, c.h, (200, 224, 240))

    def xy(lon, lat):  # 180 px a degree of longitude; a degree of latitude is 1/cos(47°) longer
        return (225 + (lon + 124.72) * 150, 70 + (49.0 - lat) * 150 / 0.68)

    c.poly([xy(*p) for p in WA], (190, 220, 170), outline=BRAND, width=6)
    c.poly([xy(*p) for p in PUGET], (200, 224, 240), outline=BRAND, width=3)
    for name, lon, lat, anchor, dx in [("Seattle", -122.33, 47.61, "lm", 36), ("Spokane", -117.43, 47.66, "rm", -36)]:
        x, y = xy(lon, lat)
        c.circle(x, y, 20, ORANGE, outline=WHITE, width=6)
        c.text(x + dx, y, name, 44, INK, anchor=anchor)


def council(c):
    # Five people seated behind a long table under a screen reading "Washington LMP council:
    # first meeting, Q2 2019".
    floor_and_wall(c, at=0.74)
    c.rect(300, 60, 1000, 250, BRAND, r=10)
    c.text(800, 140, "Washington LMP council", 56, WHITE, anchor="mm")
    c.text(800, 230, "First meeting, Q2 2019", 48, YELLOW, anchor="mm")
    for i, x in enumerate([340, 560, 800, 1040, 1260]):
        body = [SCRUBS[0], BRAND, SCRUBS[3], (70, 70, 80), SCRUBS[1]][i]
        c.person(x, 760, 380, body, SKIN[(i + 1) % 5], HAIR[(i + 3) % 5], coat=(i == 2))
    c.table_side(180, 620, 1240, 44)
    for i in range(5):
        c.rect(290 + i * 230, 600, 100, 20, WHITE)


def whole_work_group(c):
    # A work group of ten people in two rows: nurses and aides in scrubs, a physician in a white
    # coat and a manager in a jacket and tie.
    c.rect(0, 0, c.w, c.h, (236, 240, 244))
    c.rect(0, 0, c.w, 120, SKY)
    for i in range(5):
        x = 330 + i * 235
        c.person(x, 640, 470, SCRUBS[(i + 2) % 6], SKIN[(i + 4) % 5], HAIR[(i + 1) % 5],
                 coat=(i == 2))
    for i in range(5):
        x = 215 + i * 292
        body = (70, 70, 80) if i == 2 else SCRUBS[i]
        c.person(x, 900, 430, body, SKIN[i], HAIR[(i + 2) % 5], tie=(i == 2))


def ring(c, part, whole, label_top, colour=ACCENT):
    """A ring chart of part/whole with the share in the middle and the counts below."""
    cx, cy, r = c.w / 2, c.h * 0.46, c.h * 0.3
    c.circle(cx, cy, r, None, outline=TRACK, width=r * 0.32)
    share = part / whole
    c.arc(cx, cy, r, -90, -90 + 360 * share, colour, r * 0.32)
    c.text(cx, cy, f"{round(share * 100)}%", r * 0.42, BRAND, anchor="mm")
    c.text(cx, c.h * 0.9, f"{part:,} of {whole:,}", c.h * 0.07, INK, anchor="mm")
    if label_top:
        c.text(cx, c.h * 0.07, label_top, c.h * 0.05, MUTED, anchor="mm")


def national_functions(c):
    # Ring chart: 50 of 81 unit-based teams (62%), beside an office desk with a computer and a chart.
    c.rect(0, 0, c.w, c.h, PAPER)
    sub = Canvas(800, 900, PAPER)
    ring(sub, 50, 81, "", ACCENT)
    c.img.paste(sub.img, (800 * SS, 0))
    # an office desk: finance (a calculator), health plan (a card), IT (a computer)
    c.rect(80, 620, 680, 30, WOOD, r=6)
    c.rect(120, 650, 20, 200, WOOD_DARK)
    c.rect(700, 650, 20, 200, WOOD_DARK)
    c.rect(300, 360, 300, 210, INK, r=10)
    c.rect(316, 376, 268, 178, ACCENT)
    for i, h in enumerate([60, 100, 80, 140]):
        c.rect(340 + i * 60, 530 - h, 40, h, WHITE)
    c.rect(430, 570, 40, 50, INK)
    c.rect(130, 520, 120, 100, (90, 95, 105), r=10)
    for r_ in range(3):
        for k in range(3):
            c.rect(146 + k * 34, 540 + r_ * 24, 24, 16, WHITE, r=3)
    c.rect(630, 560, 110, 60, WHITE, r=8, outline=BRAND, width=4)
    c.rect(640, 575, 50, 8, ACCENT)


def results_2017(c):
    # Two bars: a 98% reduction in hospital-acquired pressure ulcers and a 72% reduction in
    # workplace injuries, in departments that scored high on team performance or engagement, 2017.
    c.rect(0, 0, c.w, c.h, WHITE)
    c.text(80, 70, "Reductions in high-scoring departments, 2017", 44, BRAND)
    rows = [("Hospital-acquired pressure ulcers", 98, ACCENT), ("Workplace injuries", 72, ORANGE)]
    for i, (label, pct, col) in enumerate(rows):
        y = 220 + i * 260
        c.text(80, y, label, 40, INK)
        c.rect(80, y + 70, 1300, 90, TRACK, r=8)
        c.rect(80, y + 70, 1300 * pct / 100, 90, col, r=8)
        c.text(80 + 1300 * pct / 100 - 20, y + 115, f"{pct}% fewer", 44, WHITE, anchor="rm")
    c.text(80, 790, "Source: the partnership's results for 2017", 28, MUTED)


def huddle_board(c):
    # A huddle board: a target (the team's aim), a line chart that climbs (its measures) and three
    # columns of sticky notes (its projects). No words, so it serves the English and Spanish guide.
    c.rect(0, 0, c.w, c.h, (236, 240, 244))
    c.rect(60, 50, 1480, 800, WHITE, r=10, outline=(150, 158, 168), width=12)
    # aim: a target
    for k, col in enumerate([ORANGE, WHITE, ORANGE, WHITE, ORANGE]):
        c.circle(260, 250, 140 - k * 28, col)
    c.line([(260, 250), (400, 110)], INK, 8)
    # measures: a line chart
    c.line([(500, 110), (500, 400), (940, 400)], INK, 6)
    pts = [(520 + i * 70, 380 - v) for i, v in enumerate([20, 60, 50, 110, 150, 190, 240])]
    c.line(pts, ACCENT, 10)
    for p in pts:
        c.circle(p[0], p[1], 12, ACCENT)
    # projects: three columns of notes
    for k in range(3):
        c.rect(1010 + k * 170, 100, 150, 18, TRACK)
    for k in range(3):
        c.sticky_notes(1020 + k * 170, 140, 2, 3, 58, 14, k)
    # a row of team photos (heads) along the bottom
    for i in range(8):
        x = 180 + i * 170
        c.rect(x - 60, 520, 120, 150, PAPER, r=8)
        c.person(x, 660, 130, SCRUBS[i % 6], SKIN[i % 5], HAIR[i % 5])
        c.rect(x - 50, 690, 100, 14, TRACK)


IMAGES = {
    # name: (drawing, width, height)
    "book-three-chapters": (book_three_chapters, 1600, 900),
    "nurse-at-computer": (nurse_at_computer, 1600, 900),
    "hank-spring-2014": (hank_cover, 1600, 900),
    "team-at-huddle-board": (team_at_board, 1600, 900),
    "questions-at-table": (questions, 1600, 900),
    "bargaining-table": (bargaining_table, 1600, 900),
    "speaker-at-conference": (speaker, 1600, 900),
    "agreement-22-signatures": (agreement, 1600, 900),
    "agreements-timeline": (timeline, 1600, 900),
    "hank-insider-website": (hank_insider_web, 1600, 900),
    "union-members-at-work": (union_members, 1600, 900),
    "washington-map": (washington_map, 1600, 900),
    "council-first-meeting": (council, 1600, 900),
    "whole-work-group": (whole_work_group, 1600, 900),
    "national-functions-teams": (national_functions, 1600, 900),
    "results-2017-chart": (results_2017, 1600, 900),
    "huddle-board": (huddle_board, 1600, 900),
}


def images(out):
    out = Path(out)
    for name, (draw, w, h) in IMAGES.items():
        c = Canvas(w, h)
        draw(c)
        c.save(out / f"{name}.jpg")
        print(f"{out / name}.jpg", (out / f"{name}.jpg").stat().st_size, "bytes")


def main(argv):
    if len(argv) == 3 and argv[1] == "images":
        images(argv[2])
    elif len(argv) == 3 and argv[1] == "one":
        name = argv[2]
        draw, w, h = IMAGES[name]
        c = Canvas(w, h)
        draw(c)
        c.save(Path("/tmp") / f"{name}.jpg")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
