#!/bin/sh
# Sets up both servers for the IMAP benchmarks in WORK (default /var/tmp/imap-bench) and starts
# them on loopback: ours on 14300 (from the dist built with -Dbuild.folder=target-bench), Dovecot
# on 14310 (its defaults, plus only what a private instance and 10,000 connections need).
# ACCOUNTS accounts bench1..benchN@bench.example, password "benchpass", each INBOX seeded with
# MESSAGES 4 KiB messages through IMAP. Prints the two server PIDs into WORK/*.pid.
# Usage: setup.sh [ACCOUNTS] [MESSAGES]   (run as root: Dovecot's mail_uid is nobody)
set -eu
ACCOUNTS=${1:-20}
MESSAGES=${2:-200}
REPO=$(cd "$(dirname "$0")/../../.." && pwd)
WORK=${WORK:-/var/tmp/imap-bench}
DIST=$REPO/mailserver-dist/target-bench/mailserver
CLASSES=$WORK/classes
ulimit -n 20000

rm -rf "$WORK" && mkdir -p "$WORK/ours" "$WORK/dovecot/mail" "$CLASSES"
javac -d "$CLASSES" "$REPO"/mailserver-imap/src/bench/java/mailserver/imap/bench/*.java

# --- ours
cat > "$WORK/ours/mailserver.yml" <<YML
server: { hostname: localhost, data-dir: $WORK/ours/data }
listeners:
  smtp:        { enabled: false }
  submission:  { enabled: false }
  submissions: { enabled: false }
  imap:        { address: 127.0.0.1, port: 14300, enabled: true }
  imaps:       { enabled: false }
  pop3:        { enabled: false }
  pop3s:       { enabled: false }
limits: { max-connections: 20000, max-connections-per-ip: 20000 }
imap: { allow-plaintext-auth: true }
YML
MS="$DIST/bin/mailserver"
"$MS" domain add bench.example -c "$WORK/ours/mailserver.yml" >/dev/null
i=1
while [ $i -le "$ACCOUNTS" ]; do
    echo benchpass | "$MS" user add "bench$i@bench.example" --password-stdin -c "$WORK/ours/mailserver.yml" >/dev/null
    i=$((i + 1))
done
nohup "$MS" run -c "$WORK/ours/mailserver.yml" > "$WORK/ours/server.log" 2>&1 &
echo $! > "$WORK/ours.pid"

# --- Dovecot
D=$WORK/dovecot
chown nobody:nogroup "$D/mail"
HASH=$(doveadm pw -s SHA512-CRYPT -p benchpass)
i=1
while [ $i -le "$ACCOUNTS" ]; do
    echo "bench$i@bench.example:$HASH" >> "$D/passwd"
    i=$((i + 1))
done
cat > "$D/dovecot.conf" <<CONF
# Debian's defaults except: private paths and port, plaintext LOGIN on loopback (as ours), a
# passwd-file, Maildir under nobody, and the limits 10,000 connections from one user and IP need.
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$D/mail/%d/%n
passdb {
  driver = passwd-file
  args = $D/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$D/mail/%d/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = 14310
  }
  inet_listener imaps {
    port = 0
  }
}
default_process_limit = 10100
default_client_limit = 20000
service imap {
  process_limit = 10100
}
protocol imap {
  mail_max_userip_connections = 20000
}
CONF
dovecot -c "$D/dovecot.conf"
sleep 1
cat "$D/run/master.pid" > "$WORK/dovecot.pid"

# --- the same content for both
for i in 1 2 3 4 5 6 7 8 9 10; do
    java -cp "$CLASSES" mailserver.imap.bench.ImapSeed 14300 'bench%d@bench.example' benchpass 1 0 >/dev/null 2>&1 && break
    sleep 1
done
java -cp "$CLASSES" mailserver.imap.bench.ImapSeed 14300 'bench%d@bench.example' benchpass "$ACCOUNTS" "$MESSAGES"
java -cp "$CLASSES" mailserver.imap.bench.ImapSeed 14310 'bench%d@bench.example' benchpass "$ACCOUNTS" "$MESSAGES"
echo "ours pid $(cat "$WORK/ours.pid"), dovecot master pid $(cat "$WORK/dovecot.pid")"
