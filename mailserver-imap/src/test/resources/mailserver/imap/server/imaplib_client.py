"""Drives the IMAP server with Python's imaplib (a real client); exits non-zero with a message on the first surprise.

Usage: imaplib_client.py PORT TLS_PORT
"""
import imaplib
import ssl
import sys
import time

port, tls_port = int(sys.argv[1]), int(sys.argv[2])
MESSAGE = (b"From: Carol <carol@example.test>\r\nTo: alice@example.test\r\nSubject: from python\r\n"
           b"\r\nBody line one\r\nline two\r\n")


def check(condition, what):
    if not condition:
        print("FAILED: " + what, file=sys.stderr)
        sys.exit(1)


def ok(result, what):
    typ, data = result
    check(typ == "OK", "%s: %s %r" % (what, typ, data))
    return data


# STARTTLS on 143, then LOGIN
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
m = imaplib.IMAP4("127.0.0.1", port)
check("STARTTLS" in m.capabilities, "STARTTLS offered: %r" % (m.capabilities,))
ok(m.starttls(ssl_context=context), "STARTTLS")
ok(m.login("alice@example.test", "secret"), "LOGIN")
ok(m.create("Py"), "CREATE")
data = ok(m.append("Py", r"(\Flagged)", imaplib.Time2Internaldate(time.time()), MESSAGE), "APPEND")
check(b"APPENDUID" in data[0], "APPENDUID in %r" % data)
typ, data = m.select("Py")
check(typ == "OK" and data == [b"1"], "SELECT: %r" % data)
data = ok(m.fetch("1", "(FLAGS RFC822.SIZE BODY.PEEK[])"), "FETCH")
check(data[0][1] == MESSAGE, "body round trip: %r" % (data[0][1],))
check(b"\\Flagged" in data[0][0] and (b"RFC822.SIZE %d" % len(MESSAGE)) in data[0][0], "FETCH items: %r" % data[0][0])
data = ok(m.uid("SEARCH", None, "FROM", "carol"), "UID SEARCH")
check(data == [b"1"], "UID SEARCH: %r" % data)
ok(m.store("1", "+FLAGS", r"(\Seen)"), "STORE")
data = ok(m.status("Py", "(MESSAGES UNSEEN)"), "STATUS")
check(data == [b"Py (MESSAGES 1 UNSEEN 0)"], "STATUS: %r" % data)
data = ok(m.list('""', "*"), "LIST")
check(any(b'"." Py' in line for line in data), "LIST has Py: %r" % data)
data = ok(m.copy("1", "Archive"), "COPY")
ok(m.store("1", "+FLAGS", r"(\Deleted)"), "STORE deleted")
data = ok(m.expunge(), "EXPUNGE")
check(data == [b"1"], "EXPUNGE: %r" % data)
ok(m.close(), "CLOSE")
ok(m.delete("Py"), "DELETE")
m.logout()

# Implicit TLS on 993
s = imaplib.IMAP4_SSL("127.0.0.1", tls_port, ssl_context=context)
ok(s.login("alice@example.test", "secret"), "LOGIN over TLS")
typ, data = s.select("Archive", readonly=True)
check(typ == "OK" and int(data[0]) >= 1, "EXAMINE Archive: %r" % data)
ok(s.noop(), "NOOP")
s.logout()
print("imaplib: all checks passed")
