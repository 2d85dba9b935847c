#!/bin/sh
# Every manual page in docs/man renders without a groff warning and without a broken tag: a
# .TP tag is the one line after .TP, so a tag written over two lines ("book [--limit" then
# "N]") puts its tail into the description. Such a tag shows in the rendered page as a tag
# line (one followed by a deeper indented line) with unbalanced brackets.
# Usage: man_pages_test.sh SOURCE_DIR
set -eu
man_dir="$1/docs/man"
command -v man >/dev/null && command -v groff >/dev/null || { echo "man/groff missing" >&2; exit 77; }
export LC_ALL=C.UTF-8 MANWIDTH=80 MAN_KEEP_FORMATTING= MANPAGER=cat
failed=0
pages=0
for page in "$man_dir"/*.[1-8]; do
    pages=$((pages + 1))
    name=$(basename "$page")
    warnings=$(groff -man -ww -z -Tutf8 "$page" 2>&1 >/dev/null; man --warnings=w -l "$page" 2>&1 >/dev/null)
    if [ -n "$warnings" ]; then
        echo "$name: groff warnings:" >&2
        echo "$warnings" >&2
        failed=1
    fi
    # col -b: no overstrike; then look at each line with the indent of the next non-blank one.
    broken=$(man -l "$page" 2>/dev/null | col -bx | awk '
        function indent(s) { match(s, /^ */); return RLENGTH }
        function unbalanced(s,  o, c, t) {
            t = s; o = gsub(/\[/, "", t); t = s; c = gsub(/\]/, "", t); return o != c
        }
        NF == 0 { next }
        have && indent($0) > indent(prev) && unbalanced(prev) { print "  " prev }
        { prev = $0; have = 1 }')
    if [ -n "$broken" ]; then
        echo "$name: tag lines with unbalanced brackets (a .TP tag over two lines?):" >&2
        echo "$broken" >&2
        failed=1
    fi
done
[ "$pages" -gt 0 ] || { echo "no manual pages in $man_dir" >&2; exit 1; }
[ "$failed" -eq 0 ] && echo "$pages manual pages render cleanly"
exit "$failed"
