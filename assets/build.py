"""Build the front-end assets into app/static/ (build output, never committed).

Reads the brand colour from content/settings.toml, compiles the Sass with the
sass package from node_modules, and copies GOV.UK Frontend's script beside ours.
"""

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
    shutil.copy(ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "govuk-frontend.min.js", STATIC)
    shutil.copy(ROOT / "assets" / "js" / "application.mjs", STATIC)
    print(f"Built {STATIC.relative_to(ROOT)}/application.css ({(STATIC / 'application.css').stat().st_size:,} bytes)")


if __name__ == "__main__":
    sys.exit(main())
