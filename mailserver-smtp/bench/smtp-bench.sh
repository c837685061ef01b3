#!/usr/bin/env bash
# End-to-end SMTP delivery into Maildir at 1, 10 and 50 connections, 4 KiB messages
# (docs/benchmarks.md, section SMTP). Never run by the tests.
#
#   smtp-bench.sh ours      # our server (ServerMain) on a fresh folder
#   smtp-bench.sh postfix   # Postfix on 127.0.0.1:2525 piping to Dovecot's LDA (set up by hand, see the doc)
#
# Build first: mvn -B -q -Dbuild.folder=target-smtp -pl mailserver-smtp -am test-compile \
#   dependency:build-classpath -Dmdep.outputFile=/tmp/smtp-cp.txt -Dmdep.includeScope=test
set -euo pipefail
cd "$(dirname "$0")/.."
CP="target-smtp/classes:target-smtp/test-classes:$(cat /tmp/smtp-cp.txt)"
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
mode=${1:?ours or postfix}

if [ "$mode" = ours ]; then
  work=$(mktemp -d)
  java -Xmx512m -Dlogback.configurationFile=../config/logback.xml -cp "$CP" mailserver.smtp.server.ServerMain "$work" > "$work/server.log" 2>&1 &
  server=$!
  trap 'kill $server' EXIT
  while [ ! -f "$work/port" ]; do sleep 0.5; done
  port=$(cat "$work/port")
  maildir="$work/mail/example.org/bob/new"
else
  port=2525
  maildir=/var/pfbench/mail/example.org/bob/new
fi

for c in 1 10 50; do
  [ "$mode" = postfix ] && rm -rf /var/pfbench/mail/example.org
  before=$( (ls "$maildir" 2>/dev/null || true) | wc -l)
  start=$(date +%s.%N)
  java -cp "$CP" mailserver.smtp.bench.SmtpLoad 127.0.0.1 "$port" "$c" "$SECONDS_PER_RUN" bob@example.org
  if [ "$mode" = postfix ]; then
    # Postfix acknowledges before it delivers: the run ends when its queue is empty.
    until postqueue -p | grep -q "Mail queue is empty"; do sleep 0.2; done
  fi
  end=$(date +%s.%N)
  after=$( (ls "$maildir" 2>/dev/null || true) | wc -l)
  echo "$mode connections=$c delivered=$((after - before)) end-to-end=$(echo "($after - $before) / ($end - $start)" | bc -l | cut -c1-6) msg/s"
  if [ "$mode" = ours ]; then
    grep VmRSS /proc/$server/status
  else
    ps -C smtpd,cleanup,qmgr,pipe,dovecot-lda,master -o rss= | awk '{s+=$1} END {print "Postfix+LDA processes RSS: " s " kB"}'
  fi
done
