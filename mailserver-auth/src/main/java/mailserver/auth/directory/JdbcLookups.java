package mailserver.auth.directory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import mailserver.core.mail.InvalidAddressException;
import mailserver.core.mail.MailAddress;

/** {@link Lookups} on one borrowed connection, so a whole resolution uses one connection. */
final class JdbcLookups implements Lookups {

    private final Connection c;
    private final DirectoryQueries q;

    JdbcLookups(Connection c, DirectoryQueries q) {
        this.c = c;
        this.q = q;
    }

    @Override
    public boolean isActiveDomain(String domain) throws SQLException, DirectoryException {
        return Sql.exists(c, q.activeDomain(), domain);
    }

    @Override
    public Optional<String> aliasDomainTarget(String domain) throws SQLException, DirectoryException {
        return Sql.first(c, q.aliasDomainTarget(), row -> row.getString(1), domain);
    }

    @Override
    public Optional<String> aliasTargets(String address) throws SQLException, DirectoryException {
        return Sql.first(c, q.activeAliasTargets(), row -> row.getString(1), address);
    }

    @Override
    public Optional<AccountInfo> account(String username) throws SQLException, DirectoryException {
        return Sql.first(c, q.account(), JdbcLookups::account, username);
    }

    /** Reads the account columns every account query returns (see {@link DirectoryQueries}). */
    static AccountInfo account(ResultSet row) throws SQLException, DirectoryException {
        String username = row.getString(1);
        MailAddress address;
        try {
            address = MailAddress.parse(username);
        } catch (InvalidAddressException e) {
            throw new DirectoryException(DirectoryException.Kind.INVALID,
                    "stored account username is not a valid address: " + e.getMessage(), e);
        }
        String name = row.getString(2);
        return new AccountInfo(address, name == null ? "" : name, row.getString(3), row.getLong(4), row.getLong(6), row.getBoolean(5));
    }
}
