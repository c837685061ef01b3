package mailserver.smtp.session;

import java.nio.file.Path;

/**
 * Takes a received message over: local recipients into their Maildir INBOX, the others into the
 * outbound queue. The session answers {@code 250} only on what this returns, so every copy must
 * be durable (fsync'd) before it does. Called on a worker thread.
 *
 * <p>{@code message} is the spooled message with the Received header already on top, CRLF line
 * ends as received; Return-Path and Delivered-To are the sink's to add per copy. The file is
 * deleted once this returns: link or copy it, never keep the path. An unchecked exception counts
 * as a temporary failure of every recipient.
 */
public interface MessageSink {

    DeliveryResult deliver(Envelope envelope, Path message);
}
