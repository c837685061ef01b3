package mailserver.dist.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Optional;
import mailserver.auth.directory.AccountInfo;
import mailserver.auth.directory.JdbcDirectory;
import mailserver.auth.password.Passwords;
import mailserver.core.config.Sizes;
import mailserver.core.mail.MailAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "user", description = "Add, list, change and remove mail accounts.")
final class UserCommand {

    private static final String SCHEME_HELP = "How to store the password: BLF-CRYPT (default), or SCRAM-SHA-256 so the account"
            + " can use AUTHENTICATE SCRAM-SHA-256 (a weaker hash at rest, see docs/directory.md), or another scheme"
            + " Dovecot reads (SHA512-CRYPT, ARGON2ID, ...).";

    @Spec
    private CommandSpec spec;

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add an account; its domain must exist. Asks for the password unless --password-stdin.")
    int add(@Mixin ConfigOption config,
            @Parameters(paramLabel = "ADDRESS") String address,
            @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
            boolean passwordStdin,
            @Option(names = "--quota", paramLabel = "SIZE", defaultValue = "0",
                    description = "Mailbox size limit such as 500M or 2G; 0 is unlimited (default).") String quota,
            @Option(names = "--name", defaultValue = "", description = "The account holder's full name.") String name,
            @Option(names = "--scheme", paramLabel = "SCHEME", defaultValue = Passwords.DEFAULT_SCHEME, description = SCHEME_HELP)
            String scheme)
            throws Exception {
        MailAddress mailbox = MailAddress.parse(address);
        long quotaBytes = Sizes.parse(quota);
        char[] password = PasswordInput.read(passwordStdin, System.in);
        try (JdbcDirectory directory = config.openDirectory()) {
            directory.addAccount(mailbox, password, scheme, quotaBytes, name);
        } finally {
            Arrays.fill(password, '\0');
        }
        out().println("added account " + mailbox);
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List accounts, of one domain or all.")
    int list(@Mixin ConfigOption config, @Parameters(paramLabel = "DOMAIN", arity = "0..1") String domain)
            throws Exception {
        Table table = new Table("ADDRESS", "NAME", "QUOTA", "ACTIVE", "MAILDIR");
        try (JdbcDirectory directory = config.openDirectory()) {
            for (AccountInfo account : directory.listAccounts(Optional.ofNullable(domain))) {
                table.row(account.address(), account.name(),
                        account.quotaBytes() == 0 ? "unlimited" : Sizes.format(account.quotaBytes()),
                        DomainCommand.yesNo(account.active()), account.maildir());
            }
        }
        table.print(out());
        return 0;
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove an account. Its mail stays on disk for the admin to archive or delete.")
    int remove(@Mixin ConfigOption config, @Parameters(paramLabel = "ADDRESS") String address) throws Exception {
        MailAddress mailbox = MailAddress.parse(address);
        try (JdbcDirectory directory = config.openDirectory()) {
            directory.removeAccount(mailbox);
        }
        out().println("removed account " + mailbox + " (its Maildir was kept)");
        return 0;
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Set an account's password.")
    int passwd(@Mixin ConfigOption config,
               @Parameters(paramLabel = "ADDRESS") String address,
               @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
               boolean passwordStdin,
               @Option(names = "--scheme", paramLabel = "SCHEME", defaultValue = Passwords.DEFAULT_SCHEME, description = SCHEME_HELP)
               String scheme) throws Exception {
        MailAddress mailbox = MailAddress.parse(address);
        char[] password = PasswordInput.read(passwordStdin, System.in);
        try (JdbcDirectory directory = config.openDirectory()) {
            directory.setPassword(mailbox, password, scheme);
        } finally {
            Arrays.fill(password, '\0');
        }
        out().println("changed the password of " + mailbox);
        return 0;
    }

    @Command(name = "quota", mixinStandardHelpOptions = true, description = "Set an account's mailbox size limit.")
    int quota(@Mixin ConfigOption config,
              @Parameters(index = "0", paramLabel = "ADDRESS") String address,
              @Parameters(index = "1", paramLabel = "SIZE", description = "Such as 500M or 2G; 0 is unlimited.")
              String size) throws Exception {
        MailAddress mailbox = MailAddress.parse(address);
        long quotaBytes = Sizes.parse(size);
        try (JdbcDirectory directory = config.openDirectory()) {
            directory.setQuota(mailbox, quotaBytes);
        }
        out().println("set the quota of " + mailbox + " to " + (quotaBytes == 0 ? "unlimited" : Sizes.format(quotaBytes)));
        return 0;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
