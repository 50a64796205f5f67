"""Photo-like test images: 1/f (pink) noise in three correlated channels plus a soft gradient
"sky" and some blurred "objects", saved as JPEG q=88. Usage: genphotos.py OUT N [seed] [unique].
With `unique` (a multiple of 6, e.g. 60), only that many photos are drawn (about 20 s each on a
loaded 2-core machine) and the rest are byte-distinct copies of them (a JPEG comment segment
saying which copy), with the same sizes in the same order: every file is decoded and encoded
again by lmp and Hugo, at the cost of drawing a fifth of them."""
import sys, os, numpy as np
from PIL import Image, ImageFilter
out, n = sys.argv[1], int(sys.argv[2])
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
unique = int(sys.argv[4]) if len(sys.argv) > 4 else n
rng = np.random.default_rng(seed)
os.makedirs(out, exist_ok=True)
def pink(h, w):
    f = np.fft.rfft2(rng.standard_normal((h, w)))
    fy = np.fft.fftfreq(h)[:, None]; fx = np.fft.rfftfreq(w)[None, :]
    r = np.sqrt(fx * fx + fy * fy); r[0, 0] = 1
    img = np.fft.irfft2(f / r ** 1.1, s=(h, w))
    return (img - img.mean()) / (img.std() + 1e-9)
# Base textures at 1200x800 (upscaled, then fresh fine grain added per photo).
bases = []
for b in range(6):
    h, w = 800, 1200
    lum = pink(h, w)
    chroma = [pink(h, w) * 0.35 for _ in range(2)]
    sky = np.linspace(1.0, -1.0, h)[:, None] * rng.uniform(0.5, 1.5)
    base = np.stack([lum + chroma[0] + sky, lum + sky * 0.8, lum + chroma[1] + sky * 0.5], -1)
    base = (base - base.min()) / (base.max() - base.min())
    bases.append(Image.fromarray((base * 235 + 10).astype(np.uint8)))
sizes = [(2000, 1000), (2400, 1600), (3000, 2000), (3264, 2448), (4000, 3000), (2048, 1536)]
for i in range(min(n, unique)):
    w, h = sizes[i % len(sizes)]
    img = bases[(i * 7 + 3) % len(bases)].resize((w, h), Image.BICUBIC)
    if i % 2:
        img = img.transpose(Image.FLIP_LEFT_RIGHT)
    grain = rng.normal(0, 6, (h, w, 1)).astype(np.float32)
    arr = np.clip(np.asarray(img, dtype=np.float32) + grain, 0, 255).astype(np.uint8)
    Image.fromarray(arr).save(f"{out}/photo-{i:03d}.jpg", quality=88)
for i in range(unique, n):
    j = i % unique
    b = open(f"{out}/photo-{j:03d}.jpg", "rb").read()
    com = f"lmp benchmark copy {i} of photo {j}".encode()
    seg = b"\xff\xfe" + (len(com) + 2).to_bytes(2, "big") + com
    open(f"{out}/photo-{i:03d}.jpg", "wb").write(b[:2] + seg + b[2:])
