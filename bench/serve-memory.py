#!/usr/bin/env python3
"""Resident memory of `lmp serve`: after the first build and after each of N body edits.

    python3 bench/serve-memory.py --site /tmp/serve-100k [--bin target/release/lmp] [--edits 10]

Starts `LMP -v serve --site SITE --port 0` (its output goes to --log, default
target/bench/serve-memory.log), waits for the first build and its search index, then makes
--edits body edits to one document (--doc, default stories/story-00300.md: a sentence appended
to its body), each waited for until the server has published its pages and its search index
(/__lmp/status: `page_gen` and `search_gen` equal `gen`), and reads VmRSS and VmHWM from
/proc/PID/status after each, and the CPU time the server used for the step (/proc/PID/stat:
user + system, less moved by other processes' load than the times). It prints a table with the
server's own "Rebuilt in" (edit to pages) and "search index rebuilt in" figures beside them, and
--json FILE writes them all.

The script EDITS the site: run it on a copy (`cp -a /work/bench100k/site /tmp/serve-100k`),
never on a corpus others read. The document's original text is put back at the end (also on
Ctrl-C and on failure). Linux only (/proc). Exits 1 when a step times out or the server dies.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def proc_status(pid):
    """VmRSS and VmHWM of `pid`, in MiB, and the CPU time it used so far (user + system, ms)."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024
    with open(f"/proc/{pid}/stat") as f:
        # Fields 14 and 15 (after the command's closing parenthesis): utime, stime in ticks.
        fields = f.read().rsplit(")", 1)[1].split()
    out["cpu_ms"] = (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    return out


class Server:
    def __init__(self, binary, site, log_path):
        os.makedirs(os.path.dirname(log_path), exist_ok=True)
        self.log_path = log_path
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(
            [binary, "-v", "serve", "--site", site, "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        self.url = None
        self.read_from = 0

    def wait_url(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit("serve-memory: the server stopped before it served (see the log)")
            m = re.search(r"Serving the site at (\S+)", line)
            if m:
                self.url = m.group(1).rstrip("/")
                return
        raise SystemExit("serve-memory: the server did not say where it serves")

    def status(self):
        with urllib.request.urlopen(self.url + "/__lmp/status", timeout=30) as r:
            return json.load(r)

    def wait(self, cond, timeout, what):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"serve-memory: the server died while waiting for {what}")
            try:
                st = self.status()
                if cond(st):
                    return st
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit(f"serve-memory: timed out waiting for {what}")

    def new_log_lines(self):
        """The server's log lines written since the last call."""
        with open(self.log_path) as f:
            f.seek(self.read_from)
            text = f.read()
            self.read_from = f.tell()
        return text.splitlines()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def figures(lines):
    """The server's "Rebuilt in" / "Built ... in" and "search index rebuilt in" figures (ms)."""
    pages = search = None
    for line in lines:
        m = re.search(r"(?:Rebuilt in|Built .* in) (\d+) ms", line)
        if m and pages is None:
            pages = int(m.group(1))
        m = re.search(r"search index rebuilt in (\d+) ms", line)
        if m:
            search = int(m.group(1))
    return pages, search


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", required=True, help="a COPY of the corpus: the script edits it")
    ap.add_argument("--bin", default=os.environ.get("LMP_BIN", os.path.join(ROOT, "target/release/lmp")))
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--doc", default="stories/story-00300.md", help="site-relative document to edit")
    ap.add_argument("--timeout", type=float, default=900, help="seconds one step may take")
    ap.add_argument("--settle", type=float, default=1.0, help="seconds to wait before reading memory")
    ap.add_argument("--log", default=os.path.join(ROOT, "target/bench/serve-memory.log"))
    ap.add_argument("--json", help="also write every figure to this file")
    args = ap.parse_args()

    doc = os.path.join(args.site, args.doc)
    with open(doc, "rb") as f:
        original = f.read()
    server = Server(args.bin, args.site, args.log)
    rows = []

    def restore(*_):
        with open(doc, "wb") as f:
            f.write(original)

    def on_signal(*_):
        server.stop()
        restore()
        sys.exit(130)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        started = time.time()
        server.wait_url(args.timeout)
        st = server.wait(
            # The first build's search index comes with its pages (`search_gen` stays 0).
            lambda s: s["gen"] >= 1 and s["page_gen"] == s["gen"],
            args.timeout,
            "the first build",
        )
        if st.get("error_count"):
            raise SystemExit(f"serve-memory: the first build failed ({st['error_count']} errors)")
        time.sleep(args.settle)
        mem = proc_status(server.proc.pid)
        pages, search = figures(server.new_log_lines())
        rows.append({"step": "first build", "wall_s": round(time.time() - started, 1),
                     "pages_ms": pages, "search_ms": search, **mem})
        print(f"{'step':>12} {'VmRSS MiB':>10} {'VmHWM MiB':>10} {'pages ms':>9} {'search ms':>10}"
              f" {'CPU ms':>8}")
        cpu = [mem["cpu_ms"]]

        def show(r):
            print(f"{r['step']:>12} {r['VmRSS']:>10.0f} {r['VmHWM']:>10.0f} "
                  f"{r['pages_ms'] if r['pages_ms'] is not None else '-':>9} "
                  f"{r['search_ms'] if r['search_ms'] is not None else '-':>10} "
                  f"{r['cpu_ms'] - cpu[0]:>8.0f}", flush=True)
            cpu[0] = r["cpu_ms"]

        cpu[0] = 0
        show(rows[-1])
        for i in range(1, args.edits + 1):
            gen = server.status()["gen"]
            with open(doc, "ab") as f:
                f.write(f"\n\nA sentence added by serve-memory.py, edit {i}.\n".encode())
            server.wait(
                # One save may be seen as two changes: the second rebuild changes no page.
                lambda s: s["page_gen"] > gen and s["search_gen"] >= s["page_gen"],
                args.timeout,
                f"edit {i}",
            )
            time.sleep(args.settle)
            mem = proc_status(server.proc.pid)
            pages, search = figures(server.new_log_lines())
            rows.append({"step": f"edit {i}", "pages_ms": pages, "search_ms": search, **mem})
            show(rows[-1])
    finally:
        server.stop()
        restore()

    edits = rows[1:]
    if edits:
        rss = [r["VmRSS"] for r in edits]
        print(f"after the first build: {rows[0]['VmRSS']:.0f} MiB; over {len(edits)} body edits: "
              f"{min(rss):.0f}-{max(rss):.0f} MiB; VmHWM {max(r['VmHWM'] for r in rows):.0f} MiB")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"bin": args.bin, "site": args.site, "doc": args.doc, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
