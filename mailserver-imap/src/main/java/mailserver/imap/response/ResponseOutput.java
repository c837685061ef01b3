package mailserver.imap.response;

import java.io.IOException;

/**
 * Where a {@link ResponseWriter} sends its bytes: the connection, or a buffer in tests. A write
 * may block a worker thread while the client is slow to read (that is the back-pressure that
 * keeps a large FETCH from piling up in memory); it never blocks an event loop.
 */
public interface ResponseOutput {

    /** Takes ownership of {@code bytes}: the caller must not change them afterwards. */
    void write(byte[] bytes) throws IOException;
}
