"""Lighthouse's mobile performance audit of four public pages, beside a minimal page as the baseline.

The real site is served by gunicorn (production settings) and audited with the
lighthouse npm package (installed by `make install`) driving Debian's Chromium:
the phone it emulates on its simulated slow 4G and slowed processor, as in
PageSpeed Insights. Printed from each report's JSON: the performance score and
the figures it is made of (first and largest contentful paint, total blocking
time, cumulative layout shift, speed index) and the bytes the page weighed.
Needs Chromium (Debian: chromium-headless-shell or chromium; CHROMIUM_PATH).

    make bench            # or: .venv/bin/python bench/lighthouse.py --pages / /services
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.requests_per_second import production_env, start_gunicorn  # noqa: E402

PAGES = ["/", "/services", "a service page", "/start-for-life/safe-sleep"]
FIGURES = {"first-contentful-paint": "FCP ms", "largest-contentful-paint": "LCP ms", "total-blocking-time": "TBT ms",
           "cumulative-layout-shift": "CLS", "speed-index": "SI ms", "total-byte-weight": "bytes"}
FLAGS = ("--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
         "--disable-component-update --disable-sync --disable-dev-shm-usage")


def chromium():
    for path in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium-headless-shell", "/usr/bin/chromium"):
        if path and Path(path).exists():
            return path
    raise SystemExit("This benchmark needs Chromium: on Debian, apt-get install chromium-headless-shell.")


def audit(url, folder):
    report = folder / "report.json"
    subprocess.run(
        [str(ROOT / "node_modules" / ".bin" / "lighthouse"), url, "--quiet", "--only-categories=performance",
         f"--chrome-flags={FLAGS}", "--output=json", f"--output-path={report}"],
        check=True, env=dict(os.environ, CHROME_PATH=chromium()), cwd=folder, capture_output=True,
    )
    found = json.loads(report.read_text())
    return {"score": round(found["categories"]["performance"]["score"] * 100)} | {
        name: found["audits"][name]["numericValue"] for name in FIGURES
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="+", default=PAGES)
    args = parser.parse_args()
    if not (ROOT / "node_modules" / ".bin" / "lighthouse").exists() or shutil.which("node") is None:
        raise SystemExit("lighthouse is not installed: run make install.")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = production_env(folder)
        site, port = start_gunicorn("wsgi:app", env, 2)
        base, base_port = start_gunicorn("bench.minimal_app:app", env, 1)
        try:
            results["minimal page (baseline)"] = audit(f"http://127.0.0.1:{base_port}/", folder)
            for page in args.pages:
                if page == "a service page":
                    html = urllib.request.urlopen(f"http://127.0.0.1:{port}/services").read().decode()
                    page = re.search(r'href="(/services/[a-z0-9-]+)"', html).group(1)
                results[page] = audit(f"http://127.0.0.1:{port}{page}", folder)
        finally:
            for process in (site, base):
                process.terminate()
                process.wait()
    print("\nLighthouse, mobile (simulated slow 4G and a slowed processor), performance only")
    print(f"{'page':<44}{'score':>6}" + "".join(f"{label:>10}" for label in FIGURES.values()))
    for page, figures in results.items():
        cells = "".join(f"{figures[name]:>10.3f}" if name == "cumulative-layout-shift" else f"{figures[name]:>10.0f}"
                        for name in FIGURES)
        print(f"{page:<44}{figures['score']:>6}{cells}")
    pages = [figures for page, figures in results.items() if page != "minimal page (baseline)"]
    met = all(f["score"] == 100 and f["cumulative-layout-shift"] == 0 for f in pages)
    print(f"Goal: performance 100 and CLS 0 on every page – {'met' if met else 'NOT MET'}.")


if __name__ == "__main__":
    main()
