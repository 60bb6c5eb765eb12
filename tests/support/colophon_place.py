#!/usr/bin/env python3
"""Where the 版记 (GB/T 9704 7.4) stands in a PDF, and the page numbers (7.5), as JSON.

usage: colophon_place.py FILE.pdf...   one JSON object per file, in a list

Per file: "pages"; "numbers", each page's `— N —` number or null; "blank", the pages without
text in the body area; "page", the last page holding a 版记 line (a line starting 抄送 or
ending 印发; null without one); "lines", the 版记's lines there (抄送 lines and the 印发 line:
4号 text in the body area); "first_rule_mm", the top of the lowest body-wide rule above its
first line (null without rules); "last_bottom_mm", the bottom of its last line's glyphs;
"body_bottom_mm", the lowest bottom of body text (larger than 15 pt) on that page (null: none);
"overlap", body text reaching below the first rule (or the first 版记 line's top without
rules); lengths in mm from the paper's top. Used by tests/all/edits.rs. Needs pdfplumber.
"""
import json
import re
import sys

import pdfplumber

MM = 72 / 25.4
BODY_END = 262 * MM  # the body area's bottom edge (37 mm + 225 mm)


def place(path):
    with pdfplumber.open(path) as pdf:
        out = {"pages": len(pdf.pages), "numbers": [], "blank": [], "page": None}
        for i, page in enumerate(pdf.pages, 1):
            foot = "".join(c["text"] for c in page.chars if c["top"] > BODY_END + 2 * MM)
            m = re.search(r"—\s*(\d+)\s*—", foot)
            out["numbers"].append(int(m.group(1)) if m else None)
            if not [c for c in page.chars if c["text"].strip() and c["top"] < BODY_END + 2 * MM]:
                out["blank"].append(i)
        for i, page in reversed(list(enumerate(pdf.pages, 1))):
            rows = {}
            for c in page.chars:
                if c["text"].strip() and c["top"] < BODY_END + 2 * MM:
                    rows.setdefault(round(c["bottom"]), []).append(c)
            keys = sorted(rows)
            text = {k: "".join(c["text"] for c in sorted(rows[k], key=lambda c: c["x0"])) for k in keys}
            small = [k for k in keys if all(c["size"] < 15 for c in rows[k])]
            first = next((k for k in small if text[k].startswith("抄送")), None)
            if first is None:
                first = next((k for k in small if text[k].endswith("印发")), None)
            if first is None:
                continue
            lines = [k for k in small if k >= first]
            top = min(c["top"] for c in rows[first])
            rules = [r["top"] for r in page.rects + page.lines
                     if r["x1"] - r["x0"] > 140 * MM and r["bottom"] - r["top"] < 2 and r["top"] <= top]
            body = [c["bottom"] for k in keys for c in rows[k] if c["size"] > 15]
            limit = max(rules) if rules else top
            out.update(
                page=i,
                lines=[text[k] for k in lines],
                first_rule_mm=round(max(rules) / MM, 1) if rules else None,
                last_bottom_mm=round(max(c["bottom"] for c in rows[lines[-1]]) / MM, 1),
                body_bottom_mm=round(max(body) / MM, 1) if body else None,
                overlap=bool(body) and max(body) > limit + 0.3,
            )
            break
        return out


if __name__ == "__main__":
    print(json.dumps([place(f) for f in sys.argv[1:]], ensure_ascii=False))
