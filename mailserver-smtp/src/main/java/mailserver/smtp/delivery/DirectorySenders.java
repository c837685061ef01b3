package mailserver.smtp.delivery;

import java.util.Optional;

import mailserver.auth.directory.AliasInfo;
import mailserver.auth.directory.Directory;
import mailserver.auth.directory.DirectoryException;
import mailserver.auth.directory.DomainAliasInfo;
import mailserver.auth.directory.Resolution;
import mailserver.core.mail.MailAddress;
import mailserver.smtp.session.SenderOwnership;

/**
 * Which MAIL FROM addresses an authenticated user may use (Postfix's
 * reject_sender_login_mismatch): its own address, the same local part in an alias domain of its
 * domain, and every alias that leads to its account, however nested. A catch-all does not count:
 * it would let the user send as anyone of the domain.
 */
final class DirectorySenders implements SenderOwnership {

    private final Directory directory;

    DirectorySenders(Directory directory) {
        this.directory = directory;
    }

    @Override
    public boolean mayUse(String identity, MailAddress sender) {
        String account = MailAddress.parse(identity).lookupKey();
        if (sender.lookupKey().equals(account)) {
            return true;
        }
        try {
            Resolution resolution = directory.resolve(sender);
            boolean reachesAccount = resolution.localAccounts().stream()
                    .anyMatch(a -> a.address().lookupKey().equals(account));
            if (!reachesAccount) {
                return false;
            }
            MailAddress canonical = withoutAliasDomain(sender);
            return canonical.lookupKey().equals(account) || hasAliasRow(canonical);
        } catch (DirectoryException e) {
            throw new DirectoryUnavailableException("cannot check sender <" + sender + ">: " + e.getMessage(), e);
        }
    }

    /** {@code x@aliasdomain} as {@code x@target}, as the directory resolves it. */
    private MailAddress withoutAliasDomain(MailAddress address) throws DirectoryException {
        for (DomainAliasInfo alias : directory.listDomainAliases()) {
            if (alias.active() && MailAddress.normalizeDomain(alias.aliasDomain()).equals(address.domain())) {
                return new MailAddress(address.localPart(), MailAddress.normalizeDomain(alias.targetDomain()));
            }
        }
        return address;
    }

    /** An alias of its own, as opposed to reaching the account only through the domain's catch-all. */
    private boolean hasAliasRow(MailAddress address) throws DirectoryException {
        String key = address.lookupKey();
        for (AliasInfo alias : directory.listAliases(Optional.of(address.domain()))) {
            if (alias.active() && alias.address().equalsIgnoreCase(key)) {
                return true;
            }
        }
        return false;
    }
}
