package mailserver.dist.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import mailserver.auth.directory.DkimKey;
import mailserver.auth.directory.JdbcDirectory;
import mailserver.core.config.MailserverConfig;
import mailserver.core.mail.MailAddress;
import mailserver.smtp.dkim.DkimTxtRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The records an admin publishes for a domain, as zone-file lines with comments, so the output
 * can be pasted into a BIND zone as it is. Why these values: docs/dns.md.
 */
@Command(name = "dns-records", mixinStandardHelpOptions = true,
        description = "Print the MX, SPF, DKIM and DMARC records to publish for a domain, in zone-file form.")
final class DnsRecordsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Parameters(paramLabel = "DOMAIN")
    private String domain;

    @Override
    public Integer call() throws Exception {
        MailserverConfig cfg = config.load();
        String host = MailAddress.normalizeDomain(cfg.server().hostname());
        String d = MailAddress.normalizeDomain(domain.strip());
        Optional<DkimKey> key;
        try (JdbcDirectory directory = JdbcDirectory.open(cfg.directory())) {
            if (!directory.isLocalDomain(d)) {
                throw new CommandFailedException("domain " + d + " is not a domain of this server; add it with: mailserver domain add " + d);
            }
            key = directory.findActiveDkimKey(d);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("; DNS records for " + d + ", whose mail this server (" + host + ") receives and sends.");
        out.println("; Paste them into the zone of " + d + "; names end with a dot.");
        out.println();
        out.println("; MX: mail for " + d + " goes to this server.");
        out.println(d + ". IN MX 10 " + host + ".");
        out.println();
        out.println("; SPF: only the domain's MX hosts send its mail. ~all (softfail), not -all: mail is DKIM-signed,");
        out.println("; so DMARC decides; -all makes some receivers reject forwarded mail before DMARC sees its valid");
        out.println("; signature (RFC 7489 10.1). If mail leaves through a relayhost, add it (e.g. include:...).");
        out.println(d + ". IN TXT \"v=spf1 mx ~all\"");
        out.println();
        if (key.isPresent()) {
            out.println("; DKIM: the public key of the active signing key (selector " + key.get().selector() + ").");
            out.println(DkimTxtRecord.zoneLine(d, key.get().selector(), key.get().publicKey()));
        } else {
            out.println("; DKIM: no key yet. Make one with:  mailserver dkim keygen " + d);
            out.println("; and publish the record it prints (mailserver dkim show " + d + " prints it again).");
        }
        out.println();
        out.println("; DMARC: p=none first, and read the aggregate reports sent to rua for a few weeks; when they");
        out.println("; show only your own mail passing, tighten to p=quarantine, later p=reject.");
        out.println("_dmarc." + d + ". IN TXT \"v=DMARC1; p=none; rua=mailto:postmaster@" + d + "\"");
        out.println();
        String hostZone = host.endsWith("." + d)
                ? "In this zone too (" + host + " is a name in it)"
                : "In the zone of " + host + " (not " + d + ")";
        out.println("; " + hostZone + ", and the reverse DNS of its addresses:");
        out.println(";   " + host + ". IN A    <its IPv4 address>");
        out.println(";   " + host + ". IN AAAA <its IPv6 address, if it has one>");
        out.println(";   " + host + ". IN TXT \"v=spf1 a -all\"   (SPF of the HELO name: bounces have an empty MAIL FROM,");
        out.println(";   so receivers check SPF, and DMARC for MAILER-DAEMON@" + host + ", against this name)");
        out.println(";   PTR of each of those addresses -> " + host + ". (set by whoever runs the address block;");
        out.println(";   receivers check that it matches the A/AAAA record and the HELO name)");
        return 0;
    }
}
