package mailserver.imap.session;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * THREAD=REFERENCES, RFC 5256 section 4 (Jamie Zawinski's algorithm): messages are linked to
 * their parents by Message-ID, References and In-Reply-To, dummies stand in for parents that are
 * not in the set, threads whose roots share a base subject are gathered, and siblings are sorted
 * by sent date. Step numbers in the comments are the RFC's.
 */
final class ReferencesThreading {

    /** A message to thread: what SORT reads, plus its References field (null when absent). */
    record Message(MessageOrder.Entry entry, String references) {
    }

    private ReferencesThreading() {
    }

    static List<ThreadNode> thread(List<Message> messages) {
        List<ThreadNode> roots = prune(link(messages));
        // 4: the subject table below depends on the order the roots come in.
        ThreadNode.sortRootsByDate(roots);
        roots = gatherBySubject(roots);
        // 6
        ThreadNode.sortByDate(roots);
        return roots;
    }

    /** Steps 1 and 2: the id table, parent/child links without loops, and the containers that have no parent. */
    private static List<ThreadNode> link(List<Message> messages) {
        Map<String, ThreadNode> idTable = new LinkedHashMap<>();
        List<ThreadNode> withoutId = new ArrayList<>();
        List<Message> bySeq = new ArrayList<>(messages);
        bySeq.sort(Comparator.comparingInt(m -> m.entry().seq()));
        for (Message message : bySeq) {
            // 1A: a message without a valid id, or with one an earlier message already has, gets a unique id of its own.
            String id = MessageIds.first(message.entry().envelope().messageId());
            ThreadNode container = id == null ? null : idTable.get(id);
            if (container != null && container.dummy()) {
                container.entry = message.entry();
            } else {
                container = new ThreadNode(message.entry());
                if (id != null && !idTable.containsKey(id)) {
                    idTable.put(id, container);
                } else {
                    withoutId.add(container);
                }
            }
            List<String> references = parents(message);
            // 1B: link the references in order, keeping links already made and refusing loops.
            ThreadNode previous = null;
            for (String reference : references) {
                ThreadNode current = idTable.computeIfAbsent(reference, r -> new ThreadNode(null));
                if (previous != null && current.parent == null && !current.wouldLoopUnder(previous)) {
                    previous.addChild(current);
                }
                previous = current;
            }
            // 1C: the last reference is the parent (none without references), replacing a parent presumed from others' References.
            if (previous == null || !container.wouldLoopUnder(previous)) {
                container.unlink();
                if (previous != null) {
                    previous.addChild(container);
                }
            }
        }
        // 2: the root set.
        List<ThreadNode> roots = new ArrayList<>();
        for (ThreadNode node : idTable.values()) {
            if (node.parent == null) {
                roots.add(node);
            }
        }
        for (ThreadNode node : withoutId) {
            if (node.parent == null) {
                roots.add(node);
            }
        }
        return roots;
    }

    /** The References ids, or when there are none the first valid In-Reply-To id. */
    private static List<String> parents(Message message) {
        List<String> references = MessageIds.all(message.references());
        if (!references.isEmpty()) {
            return references;
        }
        String inReplyTo = MessageIds.first(message.entry().envelope().inReplyTo());
        return inReplyTo == null ? List.of() : List.of(inReplyTo);
    }

    /**
     * Step 3: dummies without children go; a dummy's children take its place, except that a
     * dummy at the root with several children stays (their parents are unknown, but they belong
     * together). Descendants are pruned first, so promoted children are already clean.
     */
    private static List<ThreadNode> prune(List<ThreadNode> roots) {
        for (ThreadNode node : ThreadNode.descendantsFirst(roots)) {
            List<ThreadNode> children = new ArrayList<>(node.children);
            node.children.clear();
            for (ThreadNode child : children) {
                if (child.dummy()) {
                    child.children.forEach(node::addChild);
                } else {
                    node.addChild(child);
                }
            }
        }
        List<ThreadNode> kept = new ArrayList<>();
        for (ThreadNode root : roots) {
            if (root.dummy() && root.children.size() == 1) {
                ThreadNode only = root.children.get(0);
                only.parent = null;
                kept.add(only);
            } else if (!root.dummy() || !root.children.isEmpty()) {
                kept.add(root);
            }
        }
        return kept;
    }

    /** Step 5: roots whose threads have the same base subject are put together. */
    private static List<ThreadNode> gatherBySubject(List<ThreadNode> roots) {
        // 5B: per subject, the root the others join: a dummy if there is one, else preferably one that is not a reply.
        Map<String, ThreadNode> subjectTable = new HashMap<>();
        for (ThreadNode root : roots) {
            String subject = subjectOf(root);
            if (subject.isEmpty()) {
                continue;
            }
            ThreadNode old = subjectTable.get(subject);
            if (old == null || !old.dummy() && (root.dummy() || isReply(old) && !isReply(root))) {
                subjectTable.put(subject, root);
            }
        }
        // 5C: merge every other root with the same subject into that one.
        for (ThreadNode root : roots) {
            String subject = subjectOf(root);
            ThreadNode target = subjectTable.get(subject);
            if (subject.isEmpty() || root.parent != null || target == root) {
                continue; // a root already put under a new dummy has been merged
            }
            if (target.dummy() && root.dummy()) {
                root.children.forEach(target::addChild);
                root.children.clear();
            } else if (target.dummy() || isReply(root) && !isReply(target)) {
                target.addChild(root);
            } else {
                ThreadNode dummy = new ThreadNode(null);
                dummy.addChild(target);
                dummy.addChild(root);
                subjectTable.put(subject, dummy);
            }
        }
        // What is left at the top, in the old order; a dummy whose children all moved is gone.
        Set<ThreadNode> merged = new LinkedHashSet<>();
        for (ThreadNode root : roots) {
            ThreadNode top = root;
            while (top.parent != null) {
                top = top.parent;
            }
            if (!top.dummy() || !top.children.isEmpty()) {
                merged.add(top);
            }
        }
        return new ArrayList<>(merged);
    }

    /** The thread subject: the root's base subject, or its first child's when the root is a dummy. */
    private static String subjectOf(ThreadNode root) {
        ThreadNode message = root.dummy() ? root.children.get(0) : root;
        return message.entry.subject();
    }

    private static boolean isReply(ThreadNode node) {
        return BaseSubject.parse(node.entry.envelope().subject()).replyOrForward();
    }
}
