package mailserver.dist.cli;

import java.io.PrintWriter;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import mailserver.auth.directory.DirectoryException;
import mailserver.auth.directory.DkimKey;
import mailserver.auth.directory.JdbcDirectory;
import mailserver.smtp.dkim.DkimKeys;
import mailserver.smtp.dkim.DkimTxtRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "dkim", description = "DKIM signing keys: make one, print the DNS record to publish.")
final class DkimCommand {

    @Spec
    private CommandSpec spec;

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Make an RSA-2048 key for a domain, store it in the directory as the domain's active key "
                    + "(the previous one stays, inactive), and print the DNS TXT record to publish.")
    int keygen(@Mixin ConfigOption config,
            @Parameters(paramLabel = "DOMAIN") String domain,
            @Option(names = "--selector", paramLabel = "SELECTOR",
                    description = "The key's name in DNS (default: s<yyyyMM> of today, e.g. s202606, so each rotation gets a new one).")
            String selector) throws Exception {
        String s = selector != null ? selector : defaultSelector();
        DkimKeys.GeneratedKey key = DkimKeys.generate();
        DkimKey stored;
        try (JdbcDirectory directory = config.openDirectory()) {
            try {
                directory.addDkimKey(domain, s, key.privateKeyPem(), key.publicKey());
            } catch (DirectoryException e) {
                if (selector == null && e.kind() == DirectoryException.Kind.DUPLICATE) {
                    // the default selector is the month's: a second key this month is the admin's first name clash
                    throw new CommandFailedException(e.getMessage() + "; name this one with --selector, e.g. --selector " + s + "b");
                }
                throw e;
            }
            stored = directory.findActiveDkimKey(domain).orElseThrow();
        }
        out().println("added DKIM key " + stored.selector() + " of " + stored.domain() + " (RSA " + DkimKeys.RSA_BITS
                + " bits); it signs the domain's outgoing mail from now on (a running server within a minute).");
        out().println("Publish this record in the zone of " + stored.domain() + ":");
        out().println();
        out().println(DkimTxtRecord.zoneLine(stored.domain(), stored.selector(), stored.publicKey()));
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the DNS TXT records of a domain's DKIM keys, the active one first.")
    int show(@Mixin ConfigOption config, @Parameters(paramLabel = "DOMAIN") String domain) throws Exception {
        List<DkimKey> keys;
        try (JdbcDirectory directory = config.openDirectory()) {
            keys = directory.listDkimKeys(domain);
        }
        if (keys.isEmpty()) {
            throw new CommandFailedException(domain + " has no DKIM key; make one with: mailserver dkim keygen " + domain);
        }
        keys.stream().filter(DkimKey::active).forEach(this::print);
        keys.stream().filter(k -> !k.active()).forEach(this::print);
        return 0;
    }

    private void print(DkimKey key) {
        out().println("; " + key.selector() + (key.active() ? ": active, signs outgoing mail" : ": inactive (replaced)")
                + ", created " + key.created());
        out().println(DkimTxtRecord.zoneLine(key.domain(), key.selector(), key.publicKey()));
    }

    static String defaultSelector() {
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        return String.format("s%04d%02d", month.getYear(), month.getMonthValue());
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
