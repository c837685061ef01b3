package mailserver.dist;

import mailserver.dist.cli.MailserverCommand;

/** Entry point of the {@code mailserver} command (bin/mailserver). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // Set before the first logger exists: admin commands print tables on stdout, and
        // INFO lines from the connection pool would be mixed into them.
        boolean daemon = args.length > 0 && args[0].equals("run");
        if (System.getProperty("mailserver.log.level") == null) {
            System.setProperty("mailserver.log.level", daemon ? "INFO" : "WARN");
        }
        System.exit(MailserverCommand.execute(args));
    }
}
