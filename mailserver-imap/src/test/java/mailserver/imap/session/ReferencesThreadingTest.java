package mailserver.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import mailserver.store.mime.Envelope;

/** THREAD=REFERENCES on the cases RFC 5256 section 4 spells out, written as the THREAD response's list. */
class ReferencesThreadingTest {

    /** Messages numbered 1, 2, ... in the order added; UID = 100 + number. */
    private static final class Mailbox {
        private final List<ReferencesThreading.Message> messages = new ArrayList<>();

        /** @param minute sent date, minutes after an arbitrary start */
        Mailbox add(int minute, String subject, String messageId, String inReplyTo, String references) {
            int seq = messages.size() + 1;
            Instant sent = Instant.parse("2024-01-01T00:00:00Z").plusSeconds(60L * minute);
            Envelope envelope = new Envelope(null, subject, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                    inReplyTo, messageId);
            MessageOrder.Entry entry = new MessageOrder.Entry(seq, 100 + seq, 10, sent, sent, BaseSubject.of(subject), envelope);
            messages.add(new ReferencesThreading.Message(entry, references));
            return this;
        }

        String threads() {
            return ThreadNode.format(ReferencesThreading.thread(messages), false);
        }

        String uidThreads() {
            return ThreadNode.format(ReferencesThreading.thread(messages), true);
        }
    }

    @Test
    void repliesHangUnderTheirParentsAndSiblingsAreSortedByDate() {
        Mailbox box = new Mailbox()
                .add(0, "Plan", "<a@x>", null, null)
                .add(20, "Re: Plan", "<b@x>", "<a@x>", null)
                .add(30, "Re: Plan", "<c@x>", null, "<a@x> <b@x>")
                .add(10, "Re: Plan", "<d@x>", null, "<a@x>")
                .add(5, "Unrelated", "<e@x>", null, null);
        assertThat(box.threads()).isEqualTo("(1 (4)(2 3))(5)");
        assertThat(box.uidThreads()).isEqualTo("(101 (104)(102 103))(105)");
    }

    @Test
    void referencesWinOverInReplyToAndGarbageInReplyToIsSkipped() {
        Mailbox box = new Mailbox()
                .add(0, "A", "<a@x>", null, null)
                .add(1, "B", "<b@x>", null, null)
                .add(2, "C", "<c@x>", "<a@x>", "<b@x>")
                .add(3, "D", "<d@x>", "your message of today <b@x> <a@x>", null);
        assertThat(box.threads()).isEqualTo("(1)(2 (3)(4))");
    }

    @Test
    void aMissingParentWithOneChildLeavesNoTrace() {
        Mailbox box = new Mailbox()
                .add(0, "Start", "<a@x>", null, null)
                .add(1, "Re: Lone", "<b@x>", null, "<gone@x>")
                .add(2, "Re: Start", "<c@x>", null, "<a@x> <missing@x>");
        // <gone@x> is a dummy root with one child: the child becomes the root;
        // <missing@x> sits between 1 and 3: 3 moves up to 1.
        assertThat(box.threads()).isEqualTo("(1 3)(2)");
    }

    @Test
    void childrenOfAMissingRootStayTogetherUnderADummy() {
        Mailbox box = new Mailbox()
                .add(5, "Re: Party", "<b@x>", null, "<gone@x>")
                .add(1, "Re: Party", "<c@x>", null, "<gone@x>")
                .add(3, "Other", "<d@x>", null, null);
        assertThat(box.threads()).isEqualTo("((2)(1))(3)");
    }

    @Test
    void loopsInReferencesAreNotLinked() {
        Mailbox box = new Mailbox()
                .add(0, "One", "<a@x>", null, "<b@x>")
                .add(1, "Two", "<b@x>", null, "<a@x>")
                .add(2, "Three", "<c@x>", null, "<c@x>")
                .add(3, "Four", "<d@x>", null, "<p@x> <q@x> <p@x> <d@x>");
        // 1 is under <b@x> (message 2); 2 naming 1 as parent would close a loop, so it stays the root.
        // 3 names itself; 4's References loop through p and q and name 4 itself last.
        assertThat(box.threads()).isEqualTo("(2 1)(3)(4)");
    }

    @Test
    void aDuplicateMessageIdBelongsToTheFirstMessageOnly() {
        Mailbox box = new Mailbox()
                .add(0, "Hello", "<a@x>", null, null)
                .add(1, "Else", "<a@x>", null, null)
                .add(2, "Re: Hello", "<c@x>", null, "<a@x>")
                .add(3, "Again", "<a@x>", null, "<c@x>");
        assertThat(box.threads()).isEqualTo("(1 3 4)(2)");
    }

    @Test
    void aMessageSeenInReferencesFirstFillsItsDummyLater() {
        Mailbox box = new Mailbox()
                .add(1, "Re: Topic", "<b@x>", null, "<z@x> <a@x>")
                .add(0, "Topic", "<a@x>", null, null);
        // 2 was presumed a child of <z@x>; its own (empty) References make it a root, and <z@x> goes.
        assertThat(box.threads()).isEqualTo("(2 1)");
    }

    @Test
    void messagesWithoutIdsOrReferencesStillThread() {
        Mailbox box = new Mailbox()
                .add(0, "Lunch", null, null, null)
                .add(1, "Budget", "not an id", null, "neither <this>")
                .add(2, "Re: lunch", null, null, null);
        assertThat(box.threads()).isEqualTo("(1 3)(2)");
    }

    @Test
    void rootsWithTheSameSubjectAreGathered() {
        // Two originals: a dummy holds both. A reply joins the original as its child.
        assertThat(new Mailbox()
                .add(0, "Lunch", "<a@x>", null, null)
                .add(1, "lunch", "<b@x>", null, null)
                .add(2, "Re: Lunch", "<c@x>", null, null)
                .threads()).isEqualTo("((1)(2)(3))");
        assertThat(new Mailbox()
                .add(0, "Re: Lunch", "<a@x>", null, null)
                .add(1, "Lunch", "<b@x>", null, null)
                .add(2, "Lunch (fwd)", "<c@x>", null, null)
                .threads()).isEqualTo("(2 (1)(3))");
        assertThat(new Mailbox()
                .add(0, "Re: Lunch", "<a@x>", null, null)
                .add(1, "Fwd: Lunch", "<b@x>", null, null)
                .threads()).isEqualTo("((1)(2))");
    }

    @Test
    void rootsAreGatheredInDateOrder() {
        // Step 4 sorts the roots before step 5: the earlier reply 3 meets original 1 first and goes
        // under it; only then does 2 join 1 under a new dummy. In number order all three would be siblings.
        Mailbox box = new Mailbox()
                .add(1, "Lunch", "<a@x>", null, null)
                .add(2, "Lunch", "<b@x>", null, null)
                .add(0, "Re: Lunch", "<c@x>", null, null);
        assertThat(box.threads()).isEqualTo("((1 3)(2))");
    }

    @Test
    void quotedAndPlainIdsMatch() {
        Mailbox box = new Mailbox()
                .add(0, "A", "<\"01KF8JCEOCBS0045PS\"@xxx.yyy.com>", null, null)
                .add(1, "B", "<b@x>", "<01KF8JCEOCBS0045PS@xxx.yyy.com>", null);
        assertThat(box.threads()).isEqualTo("(1 2)");
    }

    @Test
    void aThreadUnderADummyTakesItsFirstChildsSubject() {
        Mailbox box = new Mailbox()
                .add(0, "Re: Party", "<b@x>", null, "<gone@x>")
                .add(1, "Re: Party", "<c@x>", null, "<gone@x>")
                .add(2, "Re: Party", "<d@x>", null, null)
                .add(3, "Party", "<e@x>", null, null);
        // The dummy for <gone@x> is preferred in the subject table; 3 and 4 join it as children.
        assertThat(box.threads()).isEqualTo("((1)(2)(3)(4))");
    }

    @Test
    void emptySubjectsAreNotGathered() {
        Mailbox box = new Mailbox()
                .add(0, "", "<a@x>", null, null)
                .add(1, "Re:", "<b@x>", null, null);
        assertThat(box.threads()).isEqualTo("(1)(2)");
    }

    @Test
    void equalDatesFallBackToMessageNumbers() {
        Mailbox box = new Mailbox()
                .add(0, "A", "<a@x>", null, null)
                .add(0, "B", "<b@x>", null, "<a@x>")
                .add(0, "C", "<c@x>", null, "<a@x>")
                .add(0, "D", "<d@x>", null, null);
        assertThat(box.threads()).isEqualTo("(1 (2)(3))(4)");
    }

    @Test
    void aThreadAsDeepAsABigFolderNeedsNoDeepStack() {
        Mailbox box = new Mailbox();
        StringBuilder expected = new StringBuilder("(");
        int count = 50_000;
        for (int i = 1; i <= count; i++) {
            box.add(i, "Re: long", "<" + i + "@x>", "<" + (i - 1) + "@x>", null);
            expected.append(i).append(i < count ? " " : ")");
        }
        assertThat(box.threads()).isEqualTo(expected.toString());
    }

    @Test
    void noMessagesNoThreads() {
        assertThat(new Mailbox().threads()).isEmpty();
    }
}
