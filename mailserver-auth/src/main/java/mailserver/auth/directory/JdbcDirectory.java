package mailserver.auth.directory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import mailserver.auth.directory.DirectoryException.Kind;
import mailserver.auth.password.PasswordSchemeException;
import mailserver.auth.password.Passwords;
import mailserver.core.config.DirectoryConfig;
import mailserver.core.mail.InvalidAddressException;
import mailserver.core.mail.MailAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory in MariaDB or embedded H2, over PostfixAdmin's tables (see config/sql). One code
 * path for both databases: the SQL is in {@link DirectoryQueries}, alias expansion in
 * {@link AliasResolver}, the cache in {@link DirectoryCache}. Keys are stored and looked up in
 * lower case; IDN domains in A-label form.
 */
public final class JdbcDirectory implements Directory, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JdbcDirectory.class);
    /** Admin changes, one line each, for whoever has to answer "who removed that account?". */
    private static final Logger audit = LoggerFactory.getLogger("mailserver.audit");
    private static final int MAX_ALIAS_TARGETS_LENGTH = 65_535;
    private static final Pattern SELECTOR = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private final Database db;
    private final DirectoryQueries q;
    private final DirectoryCache cache;
    /** Whether {@code mailserver_dkim_key} exists: a PostfixAdmin database we do not manage lacks it. */
    private final boolean dkimKeys;

    private JdbcDirectory(Database db, DirectoryQueries q, DirectoryCache cache, boolean dkimKeys) {
        this.db = db;
        this.q = q;
        this.cache = cache;
        this.dkimKeys = dkimKeys;
    }

    /**
     * Connects (failing at once with the reason if the database is unreachable), creates or
     * migrates the schema when {@link DirectoryConfig#manageSchema()} says so, and otherwise
     * only checks that the PostfixAdmin tables are there.
     */
    public static JdbcDirectory open(DirectoryConfig cfg) throws DirectoryException {
        Database db = Database.open(cfg);
        try {
            DirectoryQueries queries = db.read(c -> {
                if (cfg.manageSchema()) {
                    SchemaMigrator.migrate(c);
                } else if (!Sql.hasTable(c, "mailbox")) {
                    throw new DirectoryException(Kind.INVALID, "the directory database (" + db.shownUrl()
                            + ") has no mailbox table; point jdbc-url at a PostfixAdmin database, or set manage-schema: true to create the tables");
                }
                return DirectoryQueries.defaults(Sql.hasTable(c, "mailserver_mailbox_limit"));
            });
            boolean dkimKeys = db.read(c -> Sql.hasTable(c, "mailserver_dkim_key"));
            return new JdbcDirectory(db, queries, new DirectoryCache(cfg.cacheTtl()), dkimKeys);
        } catch (DirectoryException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    // ---- domains ------------------------------------------------------------------------------

    @Override
    public void addDomain(String domain, String description) throws DirectoryException {
        String d = domainKey(domain);
        write(c -> {
            if (Sql.exists(c, q.domainExists(), d)) {
                throw new DirectoryException(Kind.DUPLICATE, "domain " + d + " already exists");
            }
            if (Sql.exists(c, q.aliasDomainExists(), d)) {
                throw new DirectoryException(Kind.CONFLICT, d + " is already an alias domain; remove the alias domain first");
            }
            LocalDateTime now = now();
            Sql.update(c, q.insertDomain(), d, description == null ? "" : description, now, now);
        });
        audit.info("domain added: {}", d);
    }

    @Override
    public List<DomainInfo> listDomains() throws DirectoryException {
        return db.read(c -> Sql.list(c, q.listDomains(), row -> new DomainInfo(row.getString("domain"),
                row.getString("description"), row.getInt("accounts"), row.getInt("aliases"), row.getBoolean("active"))));
    }

    @Override
    public void removeDomain(String domain) throws DirectoryException {
        String d = domainKey(domain);
        write(c -> {
            requireDomain(c, d);
            int[] usage = Sql.first(c, q.domainUsage(), row -> new int[] {row.getInt(1), row.getInt(2), row.getInt(3)}, d, d, d, d)
                    .orElseThrow();
            if (usage[0] + usage[1] + usage[2] > 0) {
                throw new DirectoryException(Kind.CONFLICT, "domain " + d + " still has " + usage[0] + " account(s), "
                        + usage[1] + " alias(es) and " + usage[2] + " alias domain(s); remove them first");
            }
            Sql.update(c, q.deleteDomain(), d);
            deleteDkimKeys(c, d);
        });
        audit.info("domain removed: {}", d);
    }

    // ---- accounts -----------------------------------------------------------------------------

    @Override
    public void addAccount(MailAddress address, char[] password, String scheme, long quotaBytes, String name) throws DirectoryException {
        checkAccountAddress(address);
        checkQuota(quotaBytes);
        String hash = hash(password, scheme);
        String username = address.lookupKey();
        String localPart = address.localPart().toLowerCase(Locale.ROOT);
        String d = address.domain();
        write(c -> {
            requireDomain(c, d);
            if (Sql.exists(c, q.account(), username)) {
                throw new DirectoryException(Kind.DUPLICATE, "account " + username + " already exists");
            }
            if (Sql.exists(c, q.aliasExists(), username)) {
                throw new DirectoryException(Kind.CONFLICT, username + " is already an alias; remove the alias first");
            }
            LocalDateTime now = now();
            Sql.update(c, q.insertMailbox(), username, hash, name == null ? "" : name,
                    d + "/" + localPart + "/", quotaBytes, localPart, d, now, now);
            // PostfixAdmin gives every account an alias row pointing at itself; Postfix's queries over
            // its tables need it, and it keeps a catch-all from swallowing mail for the account.
            Sql.update(c, q.insertAlias(), username, username, d, now, now);
        });
        audit.info("account added: {} (quota {} bytes)", username, quotaBytes);
    }

    @Override
    public List<AccountInfo> listAccounts(Optional<String> domain) throws DirectoryException {
        if (domain.isPresent()) {
            String d = domainKey(domain.get());
            return db.read(c -> Sql.list(c, q.listAccountsInDomain(), JdbcLookups::account, d));
        }
        return db.read(c -> Sql.list(c, q.listAccounts(), JdbcLookups::account));
    }

    @Override
    public void removeAccount(MailAddress address) throws DirectoryException {
        String username = address.lookupKey();
        write(c -> {
            if (Sql.update(c, q.deleteMailbox(), username) == 0) {
                throw new DirectoryException(Kind.NOT_FOUND, "account " + username + " does not exist");
            }
            Sql.update(c, q.deleteAlias(), username);
            if (q.deleteMessageLimit().isPresent()) {
                Sql.update(c, q.deleteMessageLimit().get(), username);
            }
        });
        audit.info("account removed: {} (its maildir is left on disk)", username);
    }

    @Override
    public void setPassword(MailAddress address, char[] password, String scheme) throws DirectoryException {
        String hash = hash(password, scheme);
        String username = address.lookupKey();
        write(c -> {
            if (Sql.update(c, q.updatePassword(), hash, now(), username) == 0) {
                throw new DirectoryException(Kind.NOT_FOUND, "account " + username + " does not exist");
            }
        });
        audit.info("password changed: {}", username);
    }

    @Override
    public void setQuota(MailAddress address, long quotaBytes) throws DirectoryException {
        checkQuota(quotaBytes);
        String username = address.lookupKey();
        write(c -> {
            if (Sql.update(c, q.updateQuota(), quotaBytes, now(), username) == 0) {
                throw new DirectoryException(Kind.NOT_FOUND, "account " + username + " does not exist");
            }
        });
        audit.info("quota changed: {} to {} bytes", username, quotaBytes);
    }

    // ---- aliases ------------------------------------------------------------------------------

    @Override
    public void addAlias(String address, List<String> targets) throws DirectoryException {
        String key = aliasKey(address);
        String d = key.substring(key.indexOf('@') + 1);
        String gotoList = String.join(",", aliasTargets(key, targets));
        write(c -> {
            requireDomain(c, d);
            if (Sql.exists(c, q.account(), key)) {
                throw new DirectoryException(Kind.CONFLICT, key + " is an account; an alias cannot have its address");
            }
            if (Sql.exists(c, q.aliasExists(), key)) {
                throw new DirectoryException(Kind.DUPLICATE, "alias " + key + " already exists");
            }
            LocalDateTime now = now();
            Sql.update(c, q.insertAlias(), key, gotoList, d, now, now);
        });
        audit.info("alias added: {} -> {}", key, gotoList);
    }

    @Override
    public List<AliasInfo> listAliases(Optional<String> domain) throws DirectoryException {
        Sql.RowMapper<Optional<AliasInfo>> mapper = row -> {
            String address = row.getString("address");
            String gotoList = row.getString("goto");
            boolean accountsOwnRow = row.getString("account") != null && gotoList.strip().equalsIgnoreCase(address);
            return accountsOwnRow ? Optional.empty()
                    : Optional.of(new AliasInfo(address, AliasResolver.splitTargets(gotoList), row.getBoolean("active")));
        };
        List<Optional<AliasInfo>> rows;
        if (domain.isPresent()) {
            String d = domainKey(domain.get());
            rows = db.read(c -> Sql.list(c, q.listAliasesInDomain(), mapper, d));
        } else {
            rows = db.read(c -> Sql.list(c, q.listAliases(), mapper));
        }
        return rows.stream().flatMap(Optional::stream).toList();
    }

    @Override
    public void removeAlias(String address) throws DirectoryException {
        String key = aliasKey(address);
        write(c -> {
            if (Sql.exists(c, q.account(), key)) {
                throw new DirectoryException(Kind.CONFLICT, key + " is an account; remove the account instead");
            }
            if (Sql.update(c, q.deleteAlias(), key) == 0) {
                throw new DirectoryException(Kind.NOT_FOUND, "alias " + key + " does not exist");
            }
        });
        audit.info("alias removed: {}", key);
    }

    @Override
    public void addDomainAlias(String aliasDomain, String targetDomain) throws DirectoryException {
        String alias = domainKey(aliasDomain);
        String target = domainKey(targetDomain);
        if (alias.equals(target)) {
            throw new DirectoryException(Kind.INVALID, "a domain cannot be an alias of itself");
        }
        write(c -> {
            requireDomain(c, target);
            if (Sql.exists(c, q.aliasDomainExists(), target)) {
                throw new DirectoryException(Kind.INVALID, target + " is itself an alias domain; point " + alias + " at its target instead");
            }
            if (Sql.exists(c, q.aliasDomainExists(), alias)) {
                throw new DirectoryException(Kind.DUPLICATE, "alias domain " + alias + " already exists");
            }
            if (Sql.exists(c, q.domainExists(), alias)) {
                int[] usage = Sql.first(c, q.domainUsage(), row -> new int[] {row.getInt(1), row.getInt(2)}, alias, alias, alias, alias)
                        .orElseThrow();
                if (usage[0] + usage[1] > 0) {
                    throw new DirectoryException(Kind.CONFLICT, "domain " + alias + " has accounts or aliases of its own;"
                            + " remove them before making it an alias of " + target);
                }
            }
            LocalDateTime now = now();
            Sql.update(c, q.insertAliasDomain(), alias, target, now, now);
        });
        audit.info("alias domain added: {} -> {}", alias, target);
    }

    @Override
    public List<DomainAliasInfo> listDomainAliases() throws DirectoryException {
        return db.read(c -> Sql.list(c, q.listAliasDomains(),
                row -> new DomainAliasInfo(row.getString(1), row.getString(2), row.getBoolean(3))));
    }

    @Override
    public void removeDomainAlias(String aliasDomain) throws DirectoryException {
        String alias = domainKey(aliasDomain);
        write(c -> {
            if (Sql.update(c, q.deleteAliasDomain(), alias) == 0) {
                throw new DirectoryException(Kind.NOT_FOUND, "alias domain " + alias + " does not exist");
            }
            deleteDkimKeys(c, alias);
        });
        audit.info("alias domain removed: {}", alias);
    }

    // ---- DKIM keys ----------------------------------------------------------------------------

    @Override
    public void addDkimKey(String domain, String selector, String privateKeyPem, String publicKey) throws DirectoryException {
        String d = domainKey(domain);
        String s = selectorKey(selector);
        if (!dkimKeys) {
            throw new DirectoryException(Kind.INVALID, "the directory database (" + db.shownUrl()
                    + ") has no mailserver_dkim_key table; set manage-schema: true, or run config/sql/schema-v2.sql in it");
        }
        write(c -> {
            if (!Sql.exists(c, q.domainExists(), d) && !Sql.exists(c, q.aliasDomainExists(), d)) {
                throw new DirectoryException(Kind.NOT_FOUND, "domain " + d + " does not exist");
            }
            if (Sql.exists(c, q.dkimKeyExists(), d, s)) {
                throw new DirectoryException(Kind.DUPLICATE, "DKIM key " + s + " of " + d + " already exists");
            }
            Sql.update(c, q.deactivateDkimKeys(), d);
            Sql.update(c, q.insertDkimKey(), d, s, privateKeyPem, publicKey, now());
        });
        audit.info("DKIM key added: {}._domainkey.{} (now the active key of {})", s, d, d);
    }

    @Override
    public List<DkimKey> listDkimKeys(String domain) throws DirectoryException {
        String d = domainKey(domain);
        return dkimKeys ? db.read(c -> Sql.list(c, q.listDkimKeys(), JdbcDirectory::dkimKey, d)) : List.of();
    }

    @Override
    public Optional<DkimKey> findActiveDkimKey(String domain) throws DirectoryException {
        String d = domainKey(domain);
        return dkimKeys ? db.read(c -> Sql.first(c, q.activeDkimKey(), JdbcDirectory::dkimKey, d)) : Optional.empty();
    }

    /** A domain added again later must not come back with the keys of its previous life. */
    private void deleteDkimKeys(Connection c, String domain) throws SQLException {
        if (dkimKeys) {
            Sql.update(c, q.deleteDkimKeys(), domain);
        }
    }

    private static DkimKey dkimKey(ResultSet row) throws SQLException {
        return new DkimKey(row.getString("domain"), row.getString("selector"), row.getString("private_key"),
                row.getString("public_key"), row.getObject("created", LocalDateTime.class), row.getBoolean("active"));
    }

    // ---- runtime ------------------------------------------------------------------------------

    @Override
    public Optional<AccountInfo> findAccount(MailAddress address) throws DirectoryException {
        String key = address.lookupKey();
        return cache.get("account", key, () -> db.read(c -> new JdbcLookups(c, q).account(key)));
    }

    @Override
    public Resolution resolve(MailAddress recipient) throws DirectoryException {
        return cache.get("resolve", recipient.lookupKey(),
                () -> db.read(c -> AliasResolver.resolve(new JdbcLookups(c, q), recipient)));
    }

    @Override
    public boolean isLocalDomain(String domain) throws DirectoryException {
        String d;
        try {
            d = MailAddress.normalizeDomain(domain);
        } catch (InvalidAddressException e) {
            return false;
        }
        return cache.get("local", d, () -> db.read(c -> {
            JdbcLookups lookups = new JdbcLookups(c, q);
            return lookups.isActiveDomain(d) || lookups.aliasDomainTarget(d).isPresent();
        }));
    }

    @Override
    public AuthResult authenticate(String username, char[] password) throws DirectoryException {
        String key;
        try {
            key = MailAddress.parse(username).lookupKey();
        } catch (InvalidAddressException e) {
            return failAfterDummyCheck(password);
        }
        Optional<AccountInfo> cached = cache.cachedLogin(key, password);
        if (cached.isPresent()) {
            return AuthResult.succeeded(cached.get());
        }
        Optional<StoredLogin> stored = storedLogin(key);
        if (stored.isEmpty()) {
            return failAfterDummyCheck(password);
        }
        boolean matches;
        try {
            matches = Passwords.verify(password, stored.get().hash());
        } catch (PasswordSchemeException e) {
            log.error("account {} cannot log in: its stored password cannot be checked: {}", key, e.getMessage());
            throw new DirectoryException(Kind.INVALID, "the stored password of " + key + " cannot be checked: " + e.getMessage(), e);
        }
        if (!matches) {
            return AuthResult.failed();
        }
        cache.rememberLogin(key, password, stored.get().account());
        return AuthResult.succeeded(stored.get().account());
    }

    @Override
    public Optional<StoredLogin> findLogin(String username) throws DirectoryException {
        String key;
        try {
            key = MailAddress.parse(username).lookupKey();
        } catch (InvalidAddressException e) {
            return Optional.empty();
        }
        return storedLogin(key);
    }

    private Optional<StoredLogin> storedLogin(String key) throws DirectoryException {
        return db.read(c -> Sql.first(c, q.login(), row -> new StoredLogin(JdbcLookups.account(row), row.getString(7)), key));
    }

    @Override
    public void close() {
        db.close();
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Unknown users cost as much time as wrong passwords, so timing does not reveal which accounts exist. */
    private static AuthResult failAfterDummyCheck(char[] password) {
        try {
            Passwords.verify(password, DummyHash.VALUE);
        } catch (PasswordSchemeException e) {
            throw new IllegalStateException("our own hash must verify", e);
        }
        return AuthResult.failed();
    }

    /** Made on first use: hashing at class load would slow every start-up. */
    private static final class DummyHash {
        static final String VALUE = Passwords.hash("not a password of anyone".toCharArray());
    }

    private interface Write {
        void run(Connection c) throws SQLException, DirectoryException;
    }

    /** Every admin change: one transaction, then this process forgets what it cached. */
    private void write(Write work) throws DirectoryException {
        db.transaction(c -> {
            work.run(c);
            return null;
        });
        cache.invalidateAll();
    }

    private void requireDomain(Connection c, String domain) throws SQLException, DirectoryException {
        if (!Sql.exists(c, q.domainExists(), domain)) {
            throw new DirectoryException(Kind.NOT_FOUND, "domain " + domain + " does not exist");
        }
    }

    private static String domainKey(String domain) throws DirectoryException {
        try {
            return MailAddress.normalizeDomain(domain == null ? "" : domain.strip());
        } catch (InvalidAddressException e) {
            throw new DirectoryException(Kind.INVALID, "invalid domain: " + e.getMessage(), e);
        }
    }

    /** A DNS name under {@code _domainkey} (RFC 6376 3.1): dot-separated labels of letters, digits and inner hyphens. */
    private static String selectorKey(String selector) throws DirectoryException {
        String s = selector == null ? "" : selector.strip().toLowerCase(Locale.ROOT);
        if (s.length() > 63 || !SELECTOR.matcher(s).matches()) {
            throw new DirectoryException(Kind.INVALID, "invalid DKIM selector \"" + selector
                    + "\": use letters, digits and inner hyphens, dot-separated, at most 63 characters");
        }
        return s;
    }

    /** {@code local@domain} or the catch-all {@code @domain}, in lookup form. */
    private static String aliasKey(String address) throws DirectoryException {
        String a = address == null ? "" : address.strip();
        if (a.startsWith("@")) {
            return "@" + domainKey(a.substring(1));
        }
        try {
            return MailAddress.parse(a).lookupKey();
        } catch (InvalidAddressException e) {
            throw new DirectoryException(Kind.INVALID, "invalid alias address: " + e.getMessage(), e);
        }
    }

    /** Targets checked and written in canonical form, duplicates dropped, order kept. */
    private static Set<String> aliasTargets(String key, List<String> targets) throws DirectoryException {
        if (targets == null || targets.isEmpty()) {
            throw new DirectoryException(Kind.INVALID, "alias " + key + " needs at least one target");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String target : targets) {
            for (String t : AliasResolver.splitTargets(target == null ? "" : target)) {
                String canonical;
                try {
                    canonical = t.startsWith("@") ? "@" + MailAddress.normalizeDomain(t.substring(1)) : MailAddress.parse(t).toString();
                } catch (InvalidAddressException e) {
                    throw new DirectoryException(Kind.INVALID, "invalid alias target: " + e.getMessage(), e);
                }
                if (canonical.equalsIgnoreCase(key)) {
                    throw new DirectoryException(Kind.INVALID, "alias " + key + " cannot point at itself");
                }
                out.add(canonical);
            }
        }
        if (out.isEmpty()) {
            throw new DirectoryException(Kind.INVALID, "alias " + key + " needs at least one target");
        }
        if (String.join(",", out).length() > MAX_ALIAS_TARGETS_LENGTH) {
            throw new DirectoryException(Kind.INVALID, "alias " + key + " has too many targets (more than "
                    + MAX_ALIAS_TARGETS_LENGTH + " characters)");
        }
        return out;
    }

    /** The maildir is {@code <domain>/<localpart>/}: the local part must be a safe single folder name. */
    private static void checkAccountAddress(MailAddress address) throws DirectoryException {
        if (address.isAddressLiteral()) {
            throw new DirectoryException(Kind.INVALID, "an account needs a domain name, not an address literal: " + address);
        }
        String local = address.localPart();
        if (local.startsWith(".") || local.contains("/") || local.contains("\\")) {
            throw new DirectoryException(Kind.INVALID, "local part of " + address
                    + " cannot be an account: it contains / or \\ or starts with a dot, which is unsafe as a maildir folder");
        }
    }

    private static void checkQuota(long quotaBytes) throws DirectoryException {
        if (quotaBytes < 0) {
            throw new DirectoryException(Kind.INVALID, "quota must be 0 (unlimited) or more bytes, not " + quotaBytes);
        }
    }

    private static String hash(char[] password, String scheme) throws DirectoryException {
        if (password == null || password.length == 0) {
            throw new DirectoryException(Kind.INVALID, "the password must not be empty");
        }
        try {
            return Passwords.hash(scheme, password);
        } catch (PasswordSchemeException e) {
            throw new DirectoryException(Kind.INVALID, e.getMessage(), e);
        }
    }

    /** Whole seconds: datetime columns drop the fraction anyway, and H2 and MariaDB would round differently. */
    private static LocalDateTime now() {
        return LocalDateTime.now().withNano(0);
    }
}
