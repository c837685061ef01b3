"""Signs the message on stdin with python3-dkim and an l= tag (dkimsign has no option for it).

Usage: dkim_sign_length.py SELECTOR DOMAIN KEYFILE HCANON BCANON < message > signed
"""
import sys

import dkim

selector, domain, keyfile, hcanon, bcanon = sys.argv[1:6]
message = sys.stdin.buffer.read()
with open(keyfile, "rb") as key:
    signature = dkim.sign(message, selector.encode(), domain.encode(), key.read(),
                          canonicalize=(hcanon.encode(), bcanon.encode()), length=True)
sys.stdout.buffer.write(signature + message)
