package mailserver.auth.directory;

import java.util.Optional;

/**
 * Every SQL statement the directory runs, in one place, so that a site with its own table layout
 * can later override them (as Dovecot's password_query and Postfix's mysql maps allow).
 * Parameters are {@code ?}, always lower-case keys. Written in the SQL that both MariaDB and H2's
 * MariaDB mode run. The account queries return, in this order: username, name, maildir, quota,
 * active, max_messages.
 */
record DirectoryQueries(
        String activeDomain,
        String aliasDomainTarget,
        String activeAliasTargets,
        String account,
        String login,
        String domainExists,
        String insertDomain,
        String listDomains,
        String domainUsage,
        String deleteDomain,
        String insertMailbox,
        String listAccounts,
        String listAccountsInDomain,
        String deleteMailbox,
        String updatePassword,
        String updateQuota,
        String aliasExists,
        String insertAlias,
        String listAliases,
        String listAliasesInDomain,
        String deleteAlias,
        String aliasDomainExists,
        String insertAliasDomain,
        String listAliasDomains,
        String deleteAliasDomain,
        Optional<String> deleteMessageLimit,
        String insertDkimKey,
        String deactivateDkimKeys,
        String dkimKeyExists,
        String listDkimKeys,
        String activeDkimKey,
        String deleteDkimKeys) {

    /** PostfixAdmin's special domain row that only carries superadmin rights; never a mail domain. */
    private static final String NOT_ALL = "d.domain <> 'ALL'";
    private static final String DKIM_KEYS =
            "SELECT k.domain, k.selector, k.private_key, k.public_key, k.created, k.active FROM mailserver_dkim_key k";
    private static final String ALIASES_NOT_ACCOUNTS =
            "NOT EXISTS (SELECT 1 FROM mailbox m WHERE m.username = a.address)";

    /**
     * @param messageLimits whether {@code mailserver_mailbox_limit} exists; a PostfixAdmin database
     *                      we do not manage lacks it, and then every account has no message limit
     */
    static DirectoryQueries defaults(boolean messageLimits) {
        String accountColumns = "SELECT m.username, m.name, m.maildir, m.quota, m.active, "
                + (messageLimits ? "COALESCE(l.max_messages, 0)" : "0") + " AS max_messages";
        String limitJoin = messageLimits ? " LEFT JOIN mailserver_mailbox_limit l ON l.username = m.username" : "";
        String accounts = accountColumns + " FROM mailbox m" + limitJoin;
        String aliases = "SELECT a.address, a.goto, a.active, m.username AS account FROM alias a"
                + " LEFT JOIN mailbox m ON m.username = a.address";
        return new DirectoryQueries(
                "SELECT d.domain FROM domain d WHERE d.domain = ? AND d.active = 1 AND d.backupmx = 0 AND " + NOT_ALL,
                "SELECT ad.target_domain FROM alias_domain ad JOIN domain d ON d.domain = ad.target_domain"
                        + " WHERE ad.alias_domain = ? AND ad.active = 1 AND d.active = 1",
                "SELECT a.goto FROM alias a WHERE a.address = ? AND a.active = 1",
                accounts + " WHERE m.username = ?",
                accountColumns + ", m.password FROM mailbox m JOIN domain d ON d.domain = m.domain" + limitJoin
                        + " WHERE m.username = ? AND m.active = 1 AND d.active = 1",
                "SELECT d.domain FROM domain d WHERE d.domain = ?",
                "INSERT INTO domain (domain, description, aliases, mailboxes, maxquota, quota, transport, backupmx, created, modified, active)"
                        + " VALUES (?, ?, 0, 0, 0, 0, 'virtual', 0, ?, ?, 1)",
                "SELECT d.domain, d.description, d.active,"
                        + " (SELECT COUNT(*) FROM mailbox m WHERE m.domain = d.domain) AS accounts,"
                        + " (SELECT COUNT(*) FROM alias a WHERE a.domain = d.domain AND " + ALIASES_NOT_ACCOUNTS + ") AS aliases"
                        + " FROM domain d WHERE " + NOT_ALL + " ORDER BY d.domain",
                "SELECT (SELECT COUNT(*) FROM mailbox WHERE domain = ?) AS accounts,"
                        + " (SELECT COUNT(*) FROM alias a WHERE a.domain = ? AND " + ALIASES_NOT_ACCOUNTS + ") AS aliases,"
                        + " (SELECT COUNT(*) FROM alias_domain WHERE alias_domain = ? OR target_domain = ?) AS domain_aliases",
                "DELETE FROM domain WHERE domain = ?",
                "INSERT INTO mailbox (username, password, name, maildir, quota, local_part, domain, created, modified, active)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                accounts + " ORDER BY m.username",
                accounts + " WHERE m.domain = ? ORDER BY m.username",
                "DELETE FROM mailbox WHERE username = ?",
                "UPDATE mailbox SET password = ?, modified = ? WHERE username = ?",
                "UPDATE mailbox SET quota = ?, modified = ? WHERE username = ?",
                "SELECT a.address FROM alias a WHERE a.address = ?",
                "INSERT INTO alias (address, goto, domain, created, modified, active) VALUES (?, ?, ?, ?, ?, 1)",
                aliases + " ORDER BY a.address",
                aliases + " WHERE a.domain = ? ORDER BY a.address",
                "DELETE FROM alias WHERE address = ?",
                "SELECT ad.alias_domain FROM alias_domain ad WHERE ad.alias_domain = ?",
                "INSERT INTO alias_domain (alias_domain, target_domain, created, modified, active) VALUES (?, ?, ?, ?, 1)",
                "SELECT ad.alias_domain, ad.target_domain, ad.active FROM alias_domain ad ORDER BY ad.alias_domain",
                "DELETE FROM alias_domain WHERE alias_domain = ?",
                messageLimits ? Optional.of("DELETE FROM mailserver_mailbox_limit WHERE username = ?") : Optional.empty(),
                "INSERT INTO mailserver_dkim_key (domain, selector, private_key, public_key, created, active) VALUES (?, ?, ?, ?, ?, 1)",
                "UPDATE mailserver_dkim_key SET active = 0 WHERE domain = ?",
                "SELECT k.selector FROM mailserver_dkim_key k WHERE k.domain = ? AND k.selector = ?",
                DKIM_KEYS + " WHERE k.domain = ? ORDER BY k.created DESC, k.selector",
                DKIM_KEYS + " WHERE k.domain = ? AND k.active = 1 ORDER BY k.created DESC, k.selector",
                "DELETE FROM mailserver_dkim_key WHERE domain = ?");
    }
}
