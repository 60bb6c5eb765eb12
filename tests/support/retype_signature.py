#!/usr/bin/env python3
"""retype_signature: retype a DOCX's 署名 as a clerk would in Word, without knowing how it was made.

  retype_signature.py IN.docx OUT.docx NAME

The 署名 is the last paragraph with text right above the first 成文日期 (a line of its own that
reads YYYY年M月D日); its text becomes NAME, in its first run's formatting (the other runs emptied),
as when the old name is selected and the new one typed over it. Prints the old name.
"""
import re
import sys

import docx


def main():
    src, out, name = sys.argv[1:4]
    d = docx.Document(src)
    ps = d.paragraphs
    k = next((i for i, p in enumerate(ps) if re.fullmatch(r"\s*\d{4}年\d{1,2}月\d{1,2}日\s*", p.text)), None)
    if k is None:
        sys.exit("no 成文日期 line")
    sig = next((p for p in reversed(ps[:k]) if p.text.strip()), None)
    if sig is None:
        sys.exit("no 署名 above the 成文日期")
    old = sig.text
    runs = [r for r in sig.runs if r.text]
    runs[0].text = name
    for r in runs[1:]:
        r.text = ""
    d.save(out)
    print(old)


if __name__ == "__main__":
    main()
