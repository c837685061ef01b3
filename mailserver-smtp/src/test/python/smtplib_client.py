#!/usr/bin/env python3
"""Python's smtplib against our SMTP server, run by ExternalClientsTest.

Usage: smtplib_client.py PORT25 PORT587 PORT465 PASSWORD
Prints "OK <scenario>" or "FAIL <scenario>: <why>" per scenario; exits 1 if any failed.
The server's certificate is self-signed: these checks are about SMTP, not PKI.
"""
import smtplib
import ssl
import sys
from email.message import EmailMessage

HOST = "127.0.0.1"
port25, port587, port465, password = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
failures = 0


def message(sender, recipient, subject, text):
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = sender, recipient, subject
    m.set_content(text)
    return m


def scenario(name, run):
    global failures
    try:
        run()
        print("OK " + name)
    except Exception as e:  # report every failure, then go on with the next scenario
        failures += 1
        print("FAIL %s: %r" % (name, e))


def starttls_587_auth_login():
    with smtplib.SMTP(HOST, port587, local_hostname="python.example", timeout=20) as s:
        s.starttls(context=context)
        s.ehlo("python.example")
        s.login("alice@example.org", password)  # smtplib picks CRAM-MD5, PLAIN, LOGIN in that order: PLAIN here
        s.send_message(message("alice@example.org", "carol@example.org", "py 587", "from smtplib over STARTTLS"))


def ssl_465_auth_login_mechanism():
    with smtplib.SMTP_SSL(HOST, port465, local_hostname="python.example", context=context, timeout=20) as s:
        s.ehlo("python.example")
        s.user, s.password = "bob@example.org", password
        code, reply = s.auth("LOGIN", s.auth_login)
        assert code == 235, (code, reply)
        s.send_message(message("bob@example.org", "carol@example.org", "py 465", "from smtplib over implicit TLS"))


def smtputf8_on_25():
    with smtplib.SMTP(HOST, port25, local_hostname="python.example", timeout=20) as s:
        s.ehlo("python.example")
        assert s.has_extn("smtputf8"), s.esmtp_features
        m = message("müller@remote.example", "jürgen@example.org", "Grüße", "Ärger über Öl")
        s.send_message(m)  # adds SMTPUTF8 and BODY=8BITMIME itself, since the addresses need them


def wrong_password_is_535():
    with smtplib.SMTP_SSL(HOST, port465, context=context, timeout=20) as s:
        try:
            s.login("alice@example.org", "not the password")
        except smtplib.SMTPAuthenticationError as e:
            assert e.smtp_code == 535 and e.smtp_error.startswith(b"5.7.8"), e
            return
        raise AssertionError("login with a wrong password succeeded")


def unknown_user_and_relay_refused():
    with smtplib.SMTP(HOST, port25, timeout=20) as s:
        try:
            s.sendmail("a@remote.example", ["nobody@example.org", "x@elsewhere.example"], b"Subject: no\r\n\r\nno\r\n")
        except smtplib.SMTPRecipientsRefused as e:
            codes = {r: c for r, (c, _) in e.recipients.items()}
            assert codes == {"nobody@example.org": 550, "x@elsewhere.example": 554}, e.recipients
            return
        raise AssertionError("recipients were accepted")


def submission_requires_auth():
    with smtplib.SMTP(HOST, port587, timeout=20) as s:
        s.starttls(context=context)
        s.ehlo()
        code, reply = s.mail("alice@example.org")
        assert code == 530, (code, reply)


scenario("starttls_587_auth", starttls_587_auth_login)
scenario("ssl_465_auth_login", ssl_465_auth_login_mechanism)
scenario("smtputf8_25", smtputf8_on_25)
scenario("wrong_password_535", wrong_password_is_535)
scenario("unknown_user_550_relay_554", unknown_user_and_relay_refused)
scenario("submission_requires_auth_530", submission_requires_auth)
sys.exit(1 if failures else 0)
