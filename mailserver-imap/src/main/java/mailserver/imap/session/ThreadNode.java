package mailserver.imap.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A node of a THREAD response: a message, or a dummy (no message) that only holds children
 * together. Both threading algorithms build these trees; {@link #format} writes them.
 */
final class ThreadNode {

    /** Siblings by sent date, then message number; a dummy counts as its first child (RFC 5256 section 4, step 6). */
    private static final Comparator<ThreadNode> BY_DATE = Comparator.comparing(ThreadNode::sortDate)
            .thenComparingInt(ThreadNode::sortSeq);

    /** Null for a dummy. */
    MessageOrder.Entry entry;
    ThreadNode parent;
    final List<ThreadNode> children = new ArrayList<>();

    ThreadNode(MessageOrder.Entry entry) {
        this.entry = entry;
    }

    boolean dummy() {
        return entry == null;
    }

    void addChild(ThreadNode child) {
        child.parent = this;
        children.add(child);
    }

    /** Detaches this node from its parent, if it has one. */
    void unlink() {
        if (parent != null) {
            parent.children.remove(this);
            parent = null;
        }
    }

    /** Whether {@code other} is this node or one of its ancestors, i.e. whether making this node its parent would close a loop. */
    boolean hasAncestorOrSelf(ThreadNode other) {
        for (ThreadNode n = this; n != null; n = n.parent) {
            if (n == other) {
                return true;
            }
        }
        return false;
    }

    /** Sorts the children of every node, deepest first, so a dummy's first child is already its earliest. */
    static void sortByDate(List<ThreadNode> siblings) {
        for (ThreadNode node : siblings) {
            sortByDate(node.children);
        }
        siblings.sort(BY_DATE);
    }

    private Instant sortDate() {
        return dummy() ? children.get(0).sortDate() : entry.sent();
    }

    private int sortSeq() {
        return dummy() ? children.get(0).sortSeq() : entry.seq();
    }

    /**
     * The THREAD response's list part (RFC 5256 section 5), e.g. {@code (2)(3 6 (4 23)(44 7 96))}:
     * an only child follows its parent in the same list, several children each get a list of
     * their own, a dummy writes no number.
     */
    static String format(List<ThreadNode> roots, boolean uid) {
        StringBuilder out = new StringBuilder();
        for (ThreadNode root : roots) {
            out.append('(');
            root.write(out, uid);
            out.append(')');
        }
        return out.toString();
    }

    private void write(StringBuilder out, boolean uid) {
        if (!dummy()) {
            out.append(uid ? entry.uid() : entry.seq());
        }
        if (children.size() == 1) {
            if (!dummy()) {
                out.append(' ');
            }
            children.get(0).write(out, uid);
        } else if (!children.isEmpty()) {
            if (!dummy()) {
                out.append(' ');
            }
            for (ThreadNode child : children) {
                out.append('(');
                child.write(out, uid);
                out.append(')');
            }
        }
    }
}
