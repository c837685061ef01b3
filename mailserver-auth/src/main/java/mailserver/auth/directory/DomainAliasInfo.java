package mailserver.auth.directory;

/** Mail to {@code x@aliasDomain} goes to {@code x@targetDomain}. */
public record DomainAliasInfo(String aliasDomain, String targetDomain, boolean active) {
}
