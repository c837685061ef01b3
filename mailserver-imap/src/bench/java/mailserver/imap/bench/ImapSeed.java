package mailserver.imap.bench;

/**
 * Fills the INBOX of accounts 1..ACCOUNTS with MESSAGES distinct 4 KiB messages over IMAP, so
 * both servers measure the same content in their own storage format. Never run by the tests.
 *
 * <pre>
 * java -cp ... mailserver.imap.bench.ImapSeed PORT USER_FORMAT PASSWORD ACCOUNTS MESSAGES
 * </pre>
 */
public final class ImapSeed {

    private static final int MAX_ACCOUNTS = 20_000;
    private static final int MAX_MESSAGES = 100_000;

    private ImapSeed() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: ImapSeed PORT USER_FORMAT PASSWORD ACCOUNTS MESSAGES");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int accounts = Integer.parseInt(args[3]);
        int messages = Integer.parseInt(args[4]);
        if (accounts < 1 || accounts > MAX_ACCOUNTS || messages < 0 || messages > MAX_MESSAGES) {
            throw new IllegalArgumentException("ACCOUNTS 1.." + MAX_ACCOUNTS + ", MESSAGES 0.." + MAX_MESSAGES);
        }
        for (int a = 1; a <= accounts; a++) {
            try (ImapClient imap = ImapClient.login("127.0.0.1", port, String.format(args[1], a), args[2])) {
                for (int m = 1; m <= messages; m++) {
                    imap.append("INBOX", Message.numbered(m));
                }
                imap.command("LOGOUT");
            }
        }
        System.out.printf("seeded %d accounts with %d messages each%n", accounts, messages);
    }
}
