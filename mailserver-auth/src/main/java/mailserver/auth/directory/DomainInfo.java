package mailserver.auth.directory;

/** @param aliases aliases of the domain, not counting the alias row every account has */
public record DomainInfo(String domain, String description, int accounts, int aliases, boolean active) {
}
