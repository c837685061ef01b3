#!/usr/bin/python3
"""Independent DKIM check of a message file with dkimpy (Debian python3-dkim), the public key
looked up with dnspython (python3-dnspython) at a DNS server on 127.0.0.1:PORT (the tests'
loopback DNS server), never the system resolver.

usage: dkim_verify.py MESSAGE_FILE DNS_PORT
prints "pass d=... s=..." and exits 0, or "fail: reason" and exits 1; "unsigned" exits 2.
"""
import logging
import io
import sys

import dkim
import dns.message
import dns.query
import dns.rdatatype
import dns.flags


def main():
    path, port = sys.argv[1], int(sys.argv[2])
    with open(path, 'rb') as f:
        message = f.read()

    def txt(name, timeout=5):
        query = dns.message.make_query(name.decode('ascii') if isinstance(name, bytes) else name, dns.rdatatype.TXT)
        response = dns.query.udp(query, '127.0.0.1', port=port, timeout=timeout)
        if response.flags & dns.flags.TC:
            response = dns.query.tcp(query, '127.0.0.1', port=port, timeout=timeout)
        for rrset in response.answer:
            if rrset.rdtype == dns.rdatatype.TXT:
                return b''.join(list(rrset.items)[0].strings)
        return None

    log = io.StringIO()
    logger = logging.getLogger('dkim')
    logger.addHandler(logging.StreamHandler(log))
    logger.setLevel(logging.DEBUG)

    d = dkim.DKIM(message, logger=logger)
    if not any(line.lower().startswith(b'dkim-signature:') for line in message.split(b'\r\n\r\n', 1)[0].split(b'\r\n')):
        print('unsigned')
        return 2
    try:
        ok = d.verify(dnsfunc=txt)
    except dkim.DKIMException as e:
        print('fail: %s' % e)
        return 1
    if not ok:
        print('fail: ' + log.getvalue().strip().replace('\n', ' | '))
        return 1
    print('pass d=%s s=%s' % (d.domain.decode(), d.selector.decode()))
    return 0


if __name__ == '__main__':
    sys.exit(main())
