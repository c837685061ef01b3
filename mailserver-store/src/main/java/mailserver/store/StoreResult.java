package mailserver.store;

import java.util.List;

/**
 * The outcome of {@link Folder#store}: the messages whose flags changed (with their new modseq)
 * and the UIDs left alone because they changed after UNCHANGEDSINCE (RFC 7162's MODIFIED).
 */
public record StoreResult(List<MessageRef> changed, List<Long> modified) {
    public StoreResult {
        changed = List.copyOf(changed);
        modified = List.copyOf(modified);
    }
}
