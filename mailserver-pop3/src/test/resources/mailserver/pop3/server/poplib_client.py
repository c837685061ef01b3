"""Drives the POP3 server with Python's poplib and prints what it saw, one key=value per line.

usage: poplib_client.py HOST PORT tls|stls USER PASSWORD
Message bytes are printed in base64, so the test can compare them byte for byte.
"""
import base64
import poplib
import ssl
import sys

host, port, mode, user, password = sys.argv[1:6]
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE  # the test server's certificate is self-signed

if mode == "tls":
    client = poplib.POP3_SSL(host, int(port), context=context, timeout=20)
else:
    client = poplib.POP3(host, int(port), timeout=20)
    print("stls=" + client.stls(context=context).decode())

print("welcome=" + client.getwelcome().decode())
print("capa=" + " ".join(sorted(client.capa().keys())))
print("user=" + client.user(user).decode())
print("pass=" + client.pass_(password).decode())
print("stat=%d %d" % client.stat())
print("list=" + " | ".join(line.decode() for line in client.list()[1]))
print("uidl=" + " | ".join(line.decode() for line in client.uidl()[1]))
response, lines, octets = client.retr(1)
print("retr=" + response.decode())
print("retr-bytes=" + base64.b64encode(b"\r\n".join(lines) + b"\r\n").decode())
print("top=" + " | ".join(line.decode() for line in client.top(1, 0)[1]))
print("dele=" + client.dele(1).decode())
print("quit=" + client.quit().decode())
