#!/bin/bash
# Regenerates password-vectors.tsv: hashes written by the tools the directory must interoperate
# with. Needs Debian's dovecot-core, openssl and python3 (its crypt module uses libxcrypt).
# Output lines: source <TAB> password <TAB> stored hash. Committed, so tests need none of these tools.
set -euo pipefail
passwords=('secret' 'Correct Horse Battery Staple' 'pässwörd-ünïcode' 'x' "$(printf 'long%.0s' {1..15})")
schemes=(SHA512-CRYPT SHA256-CRYPT BLF-CRYPT ARGON2ID ARGON2I MD5-CRYPT SSHA512 SSHA256 SSHA SCRAM-SHA-256 PLAIN CLEARTEXT)
for pw in "${passwords[@]}"; do
  for s in "${schemes[@]}"; do
    printf 'doveadm pw -s %s\t%s\t%s\n' "$s" "$pw" "$(doveadm pw -s "$s" -p "$pw")"
  done
  printf 'doveadm pw -s SHA512-CRYPT -r 10000\t%s\t%s\n' "$pw" "$(doveadm pw -s SHA512-CRYPT -r 10000 -p "$pw")"
  printf 'doveadm pw -s SHA256-CRYPT -r 1000\t%s\t%s\n' "$pw" "$(doveadm pw -s SHA256-CRYPT -r 1000 -p "$pw")"
  printf 'doveadm pw -s BLF-CRYPT -r 10\t%s\t%s\n' "$pw" "$(doveadm pw -s BLF-CRYPT -r 10 -p "$pw")"
  for o in 1 5 6; do
    printf 'openssl passwd -%s\t%s\t%s\n' "$o" "$pw" "$(openssl passwd -$o "$pw")"
  done
  for prefix in '$2a$' '$2b$'; do
    printf 'python3 crypt (libxcrypt) %s\t%s\t%s\n' "$prefix" "$pw" "$(python3 -W ignore -c '
import crypt, sys
print(crypt.crypt(sys.argv[1], sys.argv[2] + "05$" + crypt.mksalt(crypt.METHOD_BLOWFISH)[7:]))' "$pw" "$prefix")"
  done
done
