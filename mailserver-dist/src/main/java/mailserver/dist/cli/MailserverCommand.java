package mailserver.dist.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "mailserver",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "All-in-one mail server: SMTP, IMAP, POP3, Maildir and virtual domains.",
        subcommands = {
                RunCommand.class,
                ConfigCommand.class,
                DomainCommand.class,
                UserCommand.class,
                AliasCommand.class,
                DkimCommand.class,
                DnsRecordsCommand.class,
                QueueCommand.class,
                CommandLine.HelpCommand.class})
public final class MailserverCommand {

    /** Runs the command line and returns the process exit code: 0 ok, 1 failed, 2 bad usage. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new MailserverCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new ErrorReporter());
        return cli.execute(args);
    }
}
