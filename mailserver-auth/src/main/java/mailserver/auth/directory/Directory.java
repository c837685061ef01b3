package mailserver.auth.directory;

import java.util.List;
import java.util.Optional;
import mailserver.auth.password.Passwords;
import mailserver.core.mail.MailAddress;

/**
 * Virtual domains, accounts and aliases. Every method blocks on the database (and on password
 * hashing): call it from a worker thread, never from an event loop. Domain and address
 * arguments are case-insensitive; IDN domains may be given in either form.
 */
public interface Directory {

    // ---- admin ----

    void addDomain(String domain, String description) throws DirectoryException;

    List<DomainInfo> listDomains() throws DirectoryException;

    /** Refuses (CONFLICT) while the domain has accounts, aliases or alias domains. */
    void removeDomain(String domain) throws DirectoryException;

    /**
     * Adds an account to an existing domain, with its maildir {@code <domain>/<localpart>/} and
     * the alias row PostfixAdmin writes for every account.
     *
     * @param quotaBytes 0 = unlimited
     */
    default void addAccount(MailAddress address, char[] password, long quotaBytes, String name) throws DirectoryException {
        addAccount(address, password, Passwords.DEFAULT_SCHEME, quotaBytes, name);
    }

    /**
     * Like {@link #addAccount(MailAddress, char[], long, String)} with the password hashed in
     * {@code scheme} (one {@link Passwords#hash(String, char[])} writes), e.g. SCRAM-SHA-256; INVALID if it cannot.
     */
    void addAccount(MailAddress address, char[] password, String scheme, long quotaBytes, String name) throws DirectoryException;

    List<AccountInfo> listAccounts(Optional<String> domain) throws DirectoryException;

    void removeAccount(MailAddress address) throws DirectoryException;

    default void setPassword(MailAddress address, char[] password) throws DirectoryException {
        setPassword(address, password, Passwords.DEFAULT_SCHEME);
    }

    /** Stores the password hashed in {@code scheme}; INVALID if {@link Passwords#hash(String, char[])} cannot write it. */
    void setPassword(MailAddress address, char[] password, String scheme) throws DirectoryException;

    void setQuota(MailAddress address, long quotaBytes) throws DirectoryException;

    /**
     * @param address {@code local@domain}, or {@code @domain} for the domain's catch-all
     * @param targets addresses, local or remote; {@code @otherdomain} keeps the local part
     */
    void addAlias(String address, List<String> targets) throws DirectoryException;

    default void addAlias(MailAddress address, List<String> targets) throws DirectoryException {
        addAlias(address.toString(), targets);
    }

    /** Aliases, without the alias row each account has for itself. */
    List<AliasInfo> listAliases(Optional<String> domain) throws DirectoryException;

    void removeAlias(String address) throws DirectoryException;

    void addDomainAlias(String aliasDomain, String targetDomain) throws DirectoryException;

    List<DomainAliasInfo> listDomainAliases() throws DirectoryException;

    void removeDomainAlias(String aliasDomain) throws DirectoryException;

    /**
     * Stores a DKIM key for a domain or alias domain of ours and makes it the domain's active key; the
     * domain's other keys stay, inactive (key rotation). DUPLICATE if the selector exists for the
     * domain; INVALID if the database has no DKIM key table (a PostfixAdmin database we do not manage).
     */
    void addDkimKey(String domain, String selector, String privateKeyPem, String publicKey) throws DirectoryException;

    /** The domain's keys, newest first; empty without the DKIM key table. */
    List<DkimKey> listDkimKeys(String domain) throws DirectoryException;

    /** The key that signs the domain's mail; empty if none, or without the DKIM key table. Not cached. */
    Optional<DkimKey> findActiveDkimKey(String domain) throws DirectoryException;

    // ---- runtime ----

    /** The account with exactly this address, active or not; aliases are not followed. */
    Optional<AccountInfo> findAccount(MailAddress address) throws DirectoryException;

    /** Where mail to {@code recipient} goes, following aliases, alias domains and catch-alls. */
    Resolution resolve(MailAddress recipient) throws DirectoryException;

    /** An active domain or active alias domain of ours. */
    boolean isLocalDomain(String domain) throws DirectoryException;

    /**
     * Checks a login. Unknown users, wrong passwords and disabled accounts all give the same
     * failure; a stored password this server cannot check is an INVALID exception (and logged).
     */
    AuthResult authenticate(String username, char[] password) throws DirectoryException;

    /**
     * The account {@code username} logs in to, with its stored password, for SCRAM, which checks
     * a proof against credentials instead of a password against a hash. Empty for unknown users
     * and disabled accounts or domains. Not cached: the hash is not kept in memory for longer than one login.
     */
    Optional<StoredLogin> findLogin(String username) throws DirectoryException;
}
