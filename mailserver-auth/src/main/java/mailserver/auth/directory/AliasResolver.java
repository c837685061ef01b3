package mailserver.auth.directory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import mailserver.auth.directory.DirectoryException.Kind;
import mailserver.core.mail.InvalidAddressException;
import mailserver.core.mail.MailAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expands one recipient the way Postfix's virtual_alias_maps over PostfixAdmin's tables does:
 * <ol>
 * <li>{@code x@aliasdomain} becomes {@code x@target};</li>
 * <li>an address with an active alias row goes to each of its targets, recursively; a target
 *     equal to the address itself means its own mailbox (how PostfixAdmin stores an account's
 *     alias row, and "forward and keep a copy");</li>
 * <li>otherwise an active account gets it;</li>
 * <li>otherwise the domain's catch-all {@code @domain} applies, if it has one;</li>
 * <li>targets outside our domains are collected as remote.</li>
 * </ol>
 * Every address is expanded at most once per call, which removes duplicates and cuts loops;
 * chains deeper than {@value #MAX_DEPTH} are refused, as are expansions past
 * {@value #MAX_ADDRESSES} addresses. One instance per call: it holds the expansion state.
 */
final class AliasResolver {

    static final int MAX_DEPTH = 20;
    static final int MAX_ADDRESSES = 1000;
    private static final Logger log = LoggerFactory.getLogger(AliasResolver.class);

    private final Lookups lookups;
    private final MailAddress recipient;
    private final Map<String, AccountInfo> accounts = new LinkedHashMap<>();
    private final Map<String, MailAddress> remote = new LinkedHashMap<>();
    private final Set<String> expanded = new HashSet<>();
    private final Set<String> path = new HashSet<>();

    private AliasResolver(Lookups lookups, MailAddress recipient) {
        this.lookups = lookups;
        this.recipient = recipient;
    }

    static Resolution resolve(Lookups lookups, MailAddress recipient) throws SQLException, DirectoryException {
        return new AliasResolver(lookups, recipient).run();
    }

    private Resolution run() throws SQLException, DirectoryException {
        MailAddress address = rewriteAliasDomain(recipient);
        if (!lookups.isActiveDomain(address.domain())) {
            return Resolution.remote(recipient);
        }
        expand(address, 0);
        if (accounts.isEmpty() && remote.isEmpty()) {
            return Resolution.unknownUser();
        }
        return new Resolution(List.copyOf(accounts.values()), List.copyOf(remote.values()), Resolution.Status.LOCAL);
    }

    private void expand(MailAddress address, int depth) throws SQLException, DirectoryException {
        if (depth > MAX_DEPTH) {
            throw new DirectoryException(Kind.INVALID, "aliases of " + recipient + " nest deeper than "
                    + MAX_DEPTH + " levels (at " + address + "); check the alias table for a long chain");
        }
        address = rewriteAliasDomain(address);
        String key = address.lookupKey();
        if (path.contains(key)) {
            log.warn("alias loop: {} leads back to {}; that branch is ignored", recipient, key);
            return;
        }
        if (!expanded.add(key)) {
            return; // reached twice through different aliases: once is enough
        }
        if (expanded.size() > MAX_ADDRESSES) {
            throw new DirectoryException(Kind.INVALID, "aliases of " + recipient + " expand to more than "
                    + MAX_ADDRESSES + " addresses");
        }
        if (!lookups.isActiveDomain(address.domain())) {
            remote.putIfAbsent(key, address);
            return;
        }
        path.add(key);
        try {
            Optional<String> own = lookups.aliasTargets(key);
            if (own.isPresent()) {
                for (MailAddress target : targets(own.get(), address)) {
                    if (target.lookupKey().equals(key)) {
                        deliverToAccount(key);
                    } else {
                        expand(target, depth + 1);
                    }
                }
            } else if (!deliverToAccount(key)) {
                Optional<String> catchAll = lookups.aliasTargets("@" + address.domain());
                if (catchAll.isPresent()) {
                    for (MailAddress target : targets(catchAll.get(), address)) {
                        expand(target, depth + 1);
                    }
                }
            }
        } finally {
            path.remove(key);
        }
    }

    private boolean deliverToAccount(String key) throws SQLException, DirectoryException {
        Optional<AccountInfo> account = lookups.account(key).filter(AccountInfo::active);
        account.ifPresent(a -> accounts.putIfAbsent(key, a));
        return account.isPresent();
    }

    private MailAddress rewriteAliasDomain(MailAddress address) throws SQLException, DirectoryException {
        if (address.isAddressLiteral()) {
            return address;
        }
        Optional<String> target = lookups.aliasDomainTarget(address.domain());
        if (target.isEmpty()) {
            return address;
        }
        try {
            return new MailAddress(address.localPart(), MailAddress.normalizeDomain(target.get()));
        } catch (InvalidAddressException e) {
            throw new DirectoryException(Kind.INVALID, "alias domain " + address.domain()
                    + " points at an invalid domain: " + e.getMessage(), e);
        }
    }

    /**
     * The addresses of a {@code goto} list. PostfixAdmin writes "a@x,b@y"; hand-edited rows often
     * have spaces too. A target {@code @domain} keeps the local part of {@code from}, as Postfix's
     * {@code @a @b} rewriting does. A target that is no address is logged and skipped, so one bad
     * row does not bounce the mail for the others.
     */
    private List<MailAddress> targets(String gotoList, MailAddress from) {
        List<MailAddress> out = new ArrayList<>();
        for (String target : splitTargets(gotoList)) {
            try {
                out.add(target.startsWith("@")
                        ? new MailAddress(from.localPart(), MailAddress.normalizeDomain(target.substring(1)))
                        : MailAddress.parse(target));
            } catch (InvalidAddressException e) {
                log.warn("alias target of {} ignored: {}", from, e.getMessage());
            }
        }
        return out;
    }

    static List<String> splitTargets(String gotoList) {
        List<String> out = new ArrayList<>();
        for (String t : gotoList.split(",")) {
            String trimmed = t.strip();
            if (!trimmed.isEmpty()) {
                out.add(trimmed);
            }
        }
        return out;
    }
}
