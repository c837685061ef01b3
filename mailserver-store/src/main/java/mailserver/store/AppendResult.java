package mailserver.store;

/** Where a delivered or appended message now is (IMAP's APPENDUID). */
public record AppendResult(long uidValidity, long uid) {
}
