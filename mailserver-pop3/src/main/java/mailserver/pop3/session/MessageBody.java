package mailserver.pop3.session;

import java.io.InputStream;

import mailserver.pop3.message.MessageEncoder;

/** A message to stream after a {@code +OK} (RETR, TOP): its CRLF form and how to encode it. */
public record MessageBody(InputStream content, MessageEncoder encoder) {
}
