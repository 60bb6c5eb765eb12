#!/usr/bin/env python3
"""Make the bundled fallback fonts: the characters the Fandol faces lack, from Noto CJK SC.

Run from anywhere: python3 fonts/make-fallback.py
Needs: Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk) and fontTools (pyftsubset).

The set is every code point of GB 18030-2000's Han (CJK Unified Ideographs U+4E00-U+9FA5,
Extension A U+3400-U+4DB5) and the punctuation offices use (U+2015 U+2014 U+2026 U+00B7 U+3007,
full-width forms U+FF01-U+FF5E) that at least one bundled Fandol file has no glyph for (the
union over the files' cmaps). Each fallback keeps only those, as CFF OpenType without hints and
layout features (gongwen maps characters through the cmap alone), and is renamed
("... Fallback") so it is never mistaken for the full Noto family it was cut from.
"""

import glob
import os
import subprocess
import sys
import tempfile

from fontTools.ttLib import TTFont

HERE = os.path.dirname(os.path.abspath(__file__))
NOTO = "/usr/share/fonts/opentype/noto"
# (source collection, face index of the SC face, output file, family, PostScript name)
TARGETS = [
    ("NotoSerifCJK-Regular.ttc", 2, "NotoSerifCJKsc-Fallback.otf",
     "Noto Serif CJK SC Fallback", "NotoSerifCJKsc-Fallback"),
    ("NotoSansCJK-Regular.ttc", 2, "NotoSansCJKsc-Fallback.otf",
     "Noto Sans CJK SC Fallback", "NotoSansCJKsc-Fallback"),
]

WANT = (
    set(range(0x4E00, 0x9FA6))
    | set(range(0x3400, 0x4DB6))
    | {0x2015, 0x2014, 0x2026, 0x00B7, 0x3007}
    | set(range(0xFF01, 0xFF5F))
)


def lacking():
    missing = set()
    for path in sorted(glob.glob(os.path.join(HERE, "Fandol*.otf"))):
        cmap = TTFont(path, lazy=True).getBestCmap()
        lack = WANT - set(cmap)
        print(f"{os.path.basename(path)}: lacks {len(lack)} of {len(WANT)}")
        missing |= lack
    return missing


def rename(path, family, psname):
    font = TTFont(path)
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID in (1, 4, 16):
            name.setName(family, rec.nameID, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 6:
            name.setName(psname, 6, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 3:
            name.setName(f"{psname};gongwen subset", 3, rec.platformID, rec.platEncID, rec.langID)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [psname]
        top = cff.topDictIndex[0]
        top.FullName = family
        top.FamilyName = family
    font.save(path)


def main():
    missing = lacking()
    print(f"union: {len(missing)} code points")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(f"U+{u:04X}" for u in sorted(missing)))
        unicodes = f.name
    for src, index, out, family, psname in TARGETS:
        src = os.path.join(NOTO, src)
        cmap = TTFont(src, fontNumber=index, lazy=True).getBestCmap()
        absent = sorted(missing - set(cmap))
        if absent:
            sys.exit(f"{src} lacks {len(absent)} of them: {absent[:10]}")
        out = os.path.join(HERE, out)
        cmd = [
            "pyftsubset", src, f"--font-number={index}",
            f"--unicodes-file={unicodes}", "--layout-features=", "--name-IDs=*",
            "--no-hinting", f"--output-file={out}",
        ]
        print(" ".join(cmd))
        subprocess.run(cmd, check=True)
        rename(out, family, psname)
        print(f"{out}: {os.path.getsize(out)} bytes")
    os.unlink(unicodes)


if __name__ == "__main__":
    main()
