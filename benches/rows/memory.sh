#!/usr/bin/env bash
# Peak memory of a batch by number of rows (issue 11: memory flat in rows).
#
#   benches/rows/memory.sh [ROWS…]          # default: 100 1000 10000
#   FORMAT=docx benches/rows/memory.sh 100000
#
# Each run makes a CSV of ROWS short rows (one-page 述职述廉报告, template benches/rows/short.hbs),
# runs `gongwen batch` on it under /usr/bin/time -v with nice -n 19, and prints the peak
# resident memory (maximum resident set size) and the wall time.
#
# Measured on 2 shared cores (2026-11-26), peak MB before → after streaming rows:
#   100 rows 84.0 → 84.6; 1,000 rows 84.0 → 84.2; 10,000 rows 102.7 → 90.2 (PDF + DOCX);
#   10,000 rows DOCX 92.0 → 81.4; 100,000 rows DOCX: before, 104.1 MB after 12,100 rows and rising
#   (a folder scan per row made it quadratic), after 95.0 MB in 6 min.
# After issue 11's third round (2026-11-27), PDF + DOCX: 1,000 rows 22.3 MB; 100,000 rows 35.6 MB
#   (14 min 31 s at nice 19 beside a CI run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${GONGWEN:-$root/target/release/gongwen}
format=${FORMAT:-both}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rows=("$@")
[ ${#rows[@]} -eq 0 ] && rows=(100 1000 10000)
for n in "${rows[@]}"; do
  csv=$work/rows-$n.csv
  awk -v n="$n" 'BEGIN {
    print "年度,单位,职务,姓名,内容,问题";
    split("青山县柳河镇 青山县河西乡 青山县石门镇 青山县白塔镇", u, " ");
    for (i = 1; i <= n; i++)
      printf "2024,%s,副镇长,张%d,我始终把提高思想政治素质当作一种责任。全年压减开采量%d万立方米。,理论学习不够深入。\n", u[i % 4 + 1], i, i % 97;
  }' > "$csv"
  rm -rf "$work/out"
  /usr/bin/time -v -o "$work/time" nice -n 19 "$bin" batch "$csv" --template "$here/short.hbs" \
    --format "$format" --out "$work/out" --name '{{姓名}}' >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
  peak=$(awk -F': ' '/Maximum resident/ {print $2}' "$work/time")
  wall=$(awk -F': ' '/Elapsed/ {print $2}' "$work/time")
  printf '%7d rows (%s): peak %6.1f MB, wall %s\n' "$n" "$format" "$(echo "$peak/1024" | bc -l)" "$wall"
done
