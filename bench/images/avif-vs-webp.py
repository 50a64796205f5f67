"""WebP (libwebp q72 m4, lmp's settings) against ravif (rav1e) on the same resized pixels:
encode time (one thread), bytes and PSNR against the resized source. Usage: avif.py IMG..."""
import sys, time, io, numpy as np, ravif_py
from PIL import Image
from ravif_py import ColorModel, AlphaColorMode, BitDepth
def psnr(a, b):
    m = np.mean((np.asarray(a, np.float64) - np.asarray(b, np.float64)) ** 2)
    return 10 * np.log10(255 ** 2 / m)
rows = []
Image.new('RGB',(64,64)).save(io.BytesIO(),'WEBP',quality=72,method=4)
for path in sys.argv[1:]:
    src = Image.open(path).convert("RGB")
    for w in (800, 1600):
        if src.width < w: continue
        img = src.resize((w, round(src.height * w / src.width)), Image.LANCZOS)
        rgba = np.asarray(img.convert("RGBA"))
        t = time.perf_counter(); buf = io.BytesIO(); img.save(buf, "WEBP", quality=72, method=4); tw = time.perf_counter() - t
        wb = buf.getvalue(); wq = psnr(img, Image.open(io.BytesIO(wb)).convert("RGB"))
        r = [path.rsplit('/', 1)[-1], w, len(wb), tw * 1000, wq]
        for q, speed in ((50, 6), (60, 6), (72, 6)):
            t = time.perf_counter()
            ab = ravif_py.encode_rgba(rgba.tobytes(), img.width, img.height, quality=q, speed=speed, threads=1, color_model=ColorModel.YCbCr, alpha_mode=AlphaColorMode.UnassociatedClean, bit_depth=BitDepth.Eight)
            ta = time.perf_counter() - t
            ab = ab['avif']
            try: aq = psnr(img, Image.open(io.BytesIO(bytes(ab))).convert("RGB"))
            except Exception: aq = float('nan')
            r += [len(ab), ta * 1000, aq]
        rows.append(r); print(*[f"{x:.1f}" if isinstance(x, float) else x for x in r], flush=True)
print("file width webp_bytes webp_ms webp_psnr | avif(q50,s6) bytes ms psnr | avif(q60,s6) ... | avif(q72,s6) ...")
tot = np.array([r[1:] for r in rows], dtype=float).sum(0)
print("totals: webp %d B %.0f ms | q50s6 %d B %.0f ms | q60s6 %d B %.0f ms | q72s6 %d B %.0f ms" % (tot[1], tot[2], tot[4], tot[5], tot[7], tot[8], tot[10], tot[11]))
print("mean psnr: webp %.2f q50s6 %.2f q60s6 %.2f q72s6 %.2f" % tuple(np.array([[r[4], r[7], r[10], r[13]] for r in rows]).mean(0)))
