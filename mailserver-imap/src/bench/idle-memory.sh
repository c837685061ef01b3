#!/bin/bash
# Memory for CONNECTIONS idle IMAP connections (logged in, INBOX selected, IDLE) on one of the
# servers setup.sh started: RSS (VmRSS) and PSS (smaps_rollup) before, while they are held, and
# the difference per connection. ours: the JVM's process; dovecot: the master and every child
# (one imap process per connection in Dovecot's default configuration).
# Usage: idle-memory.sh ours|dovecot [CONNECTIONS] [ACCOUNTS]
set -eu
SERVER=$1
CONNECTIONS=${2:-10000}
ACCOUNTS=${3:-20}
WORK=${WORK:-/var/tmp/imap-bench}
ulimit -n 20000
case $SERVER in
    ours) PORT=14300 ;;
    dovecot) PORT=14310 ;;
    *) echo "ours or dovecot" >&2; exit 2 ;;
esac
MAIN=$(cat "$WORK/$SERVER.pid")

pids() {
    if [ "$SERVER" = ours ]; then echo "$MAIN"; else echo "$MAIN" $(pgrep -P "$MAIN"); fi
}

# Prints "processes rss_kib pss_kib"; one awk over every file, as 10,000 processes are read.
measure() {
    local files=()
    for p in $(pids); do files+=("/proc/$p/status" "/proc/$p/smaps_rollup"); done
    awk '/^VmRSS:/ {n++; rss += $2} /^Pss:/ {pss += $2} END {print n, rss, pss}' "${files[@]}" 2>/dev/null || true
}

read -r N0 RSS0 PSS0 < <(measure)
echo "before: processes=$N0 rss=${RSS0} KiB pss=${PSS0} KiB"
OUT=$WORK/idle-$SERVER.out
java -cp "$WORK/classes" mailserver.imap.bench.ImapIdle "$PORT" 'bench%d@bench.example' benchpass \
    "$ACCOUNTS" "$CONNECTIONS" 600 > "$OUT" 2> "$OUT.err" &
CLIENT=$!
until grep -q READY "$OUT" 2>/dev/null; do
    kill -0 $CLIENT 2>/dev/null || { cat "$OUT.err"; exit 1; }
    sleep 1
done
cat "$OUT"
sleep 10   # let the sessions settle (buffers released, GC after the logins)
read -r N1 RSS1 PSS1 < <(measure)
echo "idle:   processes=$N1 rss=${RSS1} KiB pss=${PSS1} KiB"
IDLE=$(awk '{print $2}' "$OUT")
awk -v r0="$RSS0" -v r1="$RSS1" -v p0="$PSS0" -v p1="$PSS1" -v n="$IDLE" 'BEGIN {
    printf "per idle connection: rss %.1f KiB, pss %.1f KiB (%d connections)\n", (r1 - r0) / n, (p1 - p0) / n, n }'
kill $CLIENT 2>/dev/null || true
wait $CLIENT 2>/dev/null || true
