package mailserver.store;

import java.util.List;

/**
 * Told about every change to a folder made in this process, and about changes by other processes
 * when a sync finds them. Called while the folder is locked, in the order the changes happened:
 * implementations must only hand the news on (to a session's queue or event loop), never block
 * or call back into the folder.
 */
public interface ChangeListener {

    default void messagesAdded(Folder folder, List<MessageRef> added) {
    }

    default void flagsChanged(Folder folder, List<MessageRef> changed) {
    }

    default void messagesExpunged(Folder folder, List<Long> uids) {
    }
}
