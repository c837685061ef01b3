package mailserver.store;

import java.util.Optional;

/**
 * One entry of a folder listing.
 *
 * @param exists      false for a parent that only exists because a child does ({@code \NonExistent})
 * @param hasChildren whether any folder lives below this one
 */
public record FolderInfo(String name, boolean exists, boolean hasChildren, Optional<SpecialUse> specialUse) {
}
