"""Build the front-end assets into app/static/ (build output, never committed).

Reads the brand colour from content/settings.toml, compiles the Sass with the
sass package from node_modules, and copies GOV.UK Frontend's script beside ours.
Pages in a right-to-left language (Urdu) use ``application-rtl.css``: the same
stylesheet mirrored by rtlcss (left and right swapped in every rule, arrows
turned), with the few rules that must not turn marked ``/*!rtl:ignore*/`` in the
Sass (the ``!`` keeps the compressed build from dropping the mark).
Then each file gets a copy named with a hash of its content
(``application.3f9c2a1b7d.css``), our script importing GOV.UK Frontend's by its
hashed name, and ``manifest.json`` maps each name to its hashed one: pages link
the hashed names, which browsers may keep for a year without asking again.
Last, WhiteNoise's compressor writes a gzip and a Brotli copy of each file
beside it, so the server sends them compressed without compressing them again.
"""

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
STATIC = ROOT / "app" / "static"


def main():
    settings = tomllib.loads((ROOT / "content" / "settings.toml").read_text(encoding="utf-8"))
    BUILD.mkdir(exist_ok=True)
    STATIC.mkdir(exist_ok=True)
    (BUILD / "_brand.scss").write_text(f"$colour: {settings['council']['brand_colour']};\n")
    subprocess.run(
        [
            str(ROOT / "node_modules" / ".bin" / "sass"),
            "--load-path", str(ROOT / "node_modules"),
            "--load-path", str(BUILD),
            "--style", "compressed",
            "--no-source-map",
            "--quiet-deps",
            str(ROOT / "assets" / "scss" / "application.scss"),
            str(STATIC / "application.css"),
        ],
        check=True,
    )
    subprocess.run(
        [str(ROOT / "node_modules" / ".bin" / "rtlcss"), "--silent", str(STATIC / "application.css"), str(STATIC / "application-rtl.css")],
        check=True,
    )
    shutil.copy(ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "govuk-frontend.min.js", STATIC)
    shutil.copy(ROOT / "assets" / "js" / "application.mjs", STATIC)
    manifest = name_by_content(STATIC)
    compress(STATIC, manifest.values())
    print(f"Built {STATIC.relative_to(ROOT)}/application.css ({(STATIC / 'application.css').stat().st_size:,} bytes)")


HASHED = re.compile(r"\.[0-9a-f]{10}\.")  # a name with a content hash in it: application.3f9c2a1b7d.css
IMPORTED = {"application.mjs": ["govuk-frontend.min.js"]}  # scripts and the scripts they import by name


def name_by_content(folder):
    """Copy each built file to a name with its content's hash in it; write and return the manifest."""
    for old in folder.iterdir():
        if HASHED.search(old.name) or old.suffix in (".gz", ".br"):
            old.unlink()  # the last build's copies
    manifest = {}
    for name in ("govuk-frontend.min.js", "application.css", "application-rtl.css", "application.mjs"):
        data = (folder / name).read_bytes()
        for imported in IMPORTED.get(name, ()):
            data = data.replace(f"./{imported}".encode(), f"./{manifest[imported]}".encode())
        stem, dot, suffix = name.partition(".")  # application-rtl.css → application-rtl.<hash>.css
        manifest[name] = f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{suffix}"
        (folder / manifest[name]).write_bytes(data)
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def compress(folder, names):
    from whitenoise.compress import Compressor

    compressor = Compressor(quiet=True)
    for name in names:
        compressor.compress(str(folder / name))


if __name__ == "__main__":
    sys.exit(main())
