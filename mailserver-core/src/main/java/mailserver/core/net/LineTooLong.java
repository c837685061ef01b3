package mailserver.core.net;

/**
 * Passed up instead of a line longer than the limit (line ending included); the rest of that
 * line is dropped, and framing goes on with the next one. The protocol answers it like any
 * bad command (e.g. {@code 500 5.5.2 Line too long}).
 */
public record LineTooLong(int maxLength) {
}
