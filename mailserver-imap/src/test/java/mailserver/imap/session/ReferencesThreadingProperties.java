package mailserver.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import mailserver.store.mime.Envelope;

/** Whatever tangle of ids, duplicates, loops and subjects: every message is in the answer exactly once, in well-formed lists. */
class ReferencesThreadingProperties {

    record Mail(String messageId, String inReplyTo, String references, String subject, int minute) {
    }

    @Property(tries = 1000)
    void everyMessageOnceInWellFormedLists(@ForAll("mailboxes") List<Mail> mails) {
        List<ReferencesThreading.Message> messages = new ArrayList<>();
        for (int i = 0; i < mails.size(); i++) {
            Mail m = mails.get(i);
            Instant sent = Instant.parse("2024-01-01T00:00:00Z").plusSeconds(60L * m.minute());
            Envelope envelope = new Envelope(null, m.subject(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                    m.inReplyTo(), m.messageId());
            messages.add(new ReferencesThreading.Message(
                    new MessageOrder.Entry(i + 1, i + 1, 1, sent, sent, BaseSubject.of(m.subject()), envelope), m.references()));
        }
        String threads = ThreadNode.format(ReferencesThreading.thread(messages), false);

        assertThat(threads).doesNotContain("()", "( ", " )");
        int depth = 0;
        for (char c : threads.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            assertThat(depth).isNotNegative();
        }
        assertThat(depth).isZero();
        int[] numbers = Arrays.stream(threads.split("[() ]+")).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).sorted().toArray();
        assertThat(numbers).containsExactly(IntStream.rangeClosed(1, mails.size()).toArray());
    }

    @Provide
    Arbitrary<List<Mail>> mailboxes() {
        Arbitrary<String> id = Arbitraries.of("<a@x>", "<b@x>", "<c@x>", "<d@x>", "<e@x>", "garbage", "<f@x> <a@x>");
        Arbitrary<String> references = id.list().ofMaxSize(5).map(ids -> String.join(" ", ids));
        Arbitrary<String> subject = Arbitraries.of("A", "Re: A", "a (fwd)", "B", "Fwd: B", "", "Re:", "[list] A");
        Arbitrary<Mail> mail = Combinators.combine(id.injectNull(0.2), id.injectNull(0.5), references.injectNull(0.3), subject,
                Arbitraries.integers().between(0, 5)).as(Mail::new);
        return mail.list().ofMaxSize(25);
    }
}
