package mailserver.store;

import java.util.List;

/**
 * The UIDs a COPY or MOVE gave (IMAP's COPYUID): {@code sourceUids.get(i)} became
 * {@code targetUids.get(i)} in the target folder. Messages already expunged are left out.
 */
public record CopyResult(long targetUidValidity, List<Long> sourceUids, List<Long> targetUids) {
    public CopyResult {
        sourceUids = List.copyOf(sourceUids);
        targetUids = List.copyOf(targetUids);
    }
}
