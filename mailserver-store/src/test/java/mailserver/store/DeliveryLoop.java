package mailserver.store;

import java.nio.file.Path;

/**
 * A second process for tests: delivers messages {@code <prefix>-<n>} into an account's INBOX and
 * prints {@code done <id> <uid>} once each is durable. Arguments: account Maildir, prefix, count
 * (0 for "until killed").
 */
public final class DeliveryLoop {

    private DeliveryLoop() {
    }

    public static void main(String[] args) throws Exception {
        Path account = Path.of(args[0]);
        String prefix = args[1];
        long count = Long.parseLong(args[2]);
        MailStore store = new MailStore();
        Folder inbox = store.open(account, Quota.UNLIMITED).folder("INBOX");
        for (long n = 1; count == 0 || n <= count; n++) {
            String id = prefix + "-" + n;
            AppendResult r = inbox.deliver(TestMessages.stream(id));
            System.out.println("done " + id + " " + r.uid());
            System.out.flush();
        }
    }

    static ProcessBuilder command(Path account, String prefix, long count) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), DeliveryLoop.class.getName(),
                account.toString(), prefix, Long.toString(count))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
    }
}
