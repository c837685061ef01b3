package mailserver.auth.directory;

import java.util.List;
import mailserver.core.mail.MailAddress;

/**
 * Where mail for one recipient goes.
 *
 * @param localAccounts accounts that get a copy, each once
 * @param remoteTargets addresses outside our domains that get a copy (forwarding aliases),
 *                      or the recipient itself when {@link Status#REMOTE}
 */
public record Resolution(List<AccountInfo> localAccounts, List<MailAddress> remoteTargets, Status status) {

    public enum Status {
        /** The domain is ours and the address leads somewhere: local accounts, forwards, or both. */
        LOCAL,
        /** The domain is not ours: relay (if allowed) to the recipient itself. */
        REMOTE,
        /** The domain is ours but nobody has this address: reject with 550 5.1.1. */
        UNKNOWN_USER
    }

    public Resolution {
        localAccounts = List.copyOf(localAccounts);
        remoteTargets = List.copyOf(remoteTargets);
    }

    static Resolution remote(MailAddress recipient) {
        return new Resolution(List.of(), List.of(recipient), Status.REMOTE);
    }

    static Resolution unknownUser() {
        return new Resolution(List.of(), List.of(), Status.UNKNOWN_USER);
    }
}
