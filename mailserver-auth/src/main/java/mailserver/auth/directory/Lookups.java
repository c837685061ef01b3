package mailserver.auth.directory;

import java.sql.SQLException;
import java.util.Optional;

/**
 * The four questions alias resolution asks; keys are lower-case, domains in A-label form.
 * SQLExceptions pass through to {@link Database}, which turns them into admin-readable messages.
 */
interface Lookups {

    boolean isActiveDomain(String domain) throws SQLException, DirectoryException;

    /** The target of an active alias domain whose target is active. */
    Optional<String> aliasDomainTarget(String domain) throws SQLException, DirectoryException;

    /** The raw comma-separated {@code goto} of an active alias row. */
    Optional<String> aliasTargets(String address) throws SQLException, DirectoryException;

    /** The account with this username, active or not. */
    Optional<AccountInfo> account(String username) throws SQLException, DirectoryException;
}
