package mailserver.imap.session;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * A node of a THREAD response: a message, or a dummy (no message) that only holds children
 * together. Both threading algorithms build these trees; {@link #format} writes them.
 */
final class ThreadNode {

    /** Siblings by sent date, then message number; a dummy counts as its first child (RFC 5256 section 4, step 6). */
    private static final Comparator<ThreadNode> BY_DATE = Comparator.comparing(ThreadNode::sortDate)
            .thenComparingInt(ThreadNode::sortSeq);

    /** Null for a dummy; REFERENCES fills it in when a message named by others' References turns up. */
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

    /** Whether making {@code parent} this node's parent would close a loop: it is this node or one of its descendants. */
    boolean wouldLoopUnder(ThreadNode parent) {
        if (children.isEmpty()) {
            return parent == this; // the usual case, answered without walking up a long thread
        }
        for (ThreadNode n = parent; n != null; n = n.parent) {
            if (n == this) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every node of the trees, each after all of its descendants. Without recursion: a folder
     * where each message answers the one before is a single thread as deep as the folder is big.
     */
    static List<ThreadNode> descendantsFirst(List<ThreadNode> roots) {
        List<ThreadNode> preorder = new ArrayList<>();
        Deque<ThreadNode> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            ThreadNode node = todo.pop();
            preorder.add(node);
            node.children.forEach(todo::push);
        }
        Collections.reverse(preorder);
        return preorder;
    }

    /** Sorts the roots, and the children of the dummies among them first, so a dummy sorts as its earliest child. */
    static void sortRootsByDate(List<ThreadNode> roots) {
        for (ThreadNode root : roots) {
            if (root.dummy()) {
                root.children.sort(BY_DATE);
            }
        }
        roots.sort(BY_DATE);
    }

    /** Sorts the children of every node, deepest first, so a dummy's first child is already its earliest. */
    static void sortByDate(List<ThreadNode> roots) {
        for (ThreadNode node : descendantsFirst(roots)) {
            node.children.sort(BY_DATE);
        }
        roots.sort(BY_DATE);
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
        // What is still to write, first on top: a node, or punctuation around it (a String).
        Deque<Object> todo = new ArrayDeque<>();
        pushEachInParentheses(todo, roots);
        while (!todo.isEmpty()) {
            Object next = todo.pop();
            if (next instanceof String text) {
                out.append(text);
                continue;
            }
            ThreadNode node = (ThreadNode) next;
            if (!node.dummy()) {
                out.append(uid ? node.entry.uid() : node.entry.seq());
            }
            if (node.children.size() == 1) {
                todo.push(node.children.get(0));
            } else {
                pushEachInParentheses(todo, node.children);
            }
            if (!node.dummy() && !node.children.isEmpty()) {
                todo.push(" ");
            }
        }
        return out.toString();
    }

    private static void pushEachInParentheses(Deque<Object> todo, List<ThreadNode> nodes) {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            todo.push(")");
            todo.push(nodes.get(i));
            todo.push("(");
        }
    }
}
