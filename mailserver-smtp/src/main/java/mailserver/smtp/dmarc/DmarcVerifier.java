package mailserver.smtp.dmarc;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.random.RandomGenerator;

import mailserver.core.dns.DnsAnswer;
import mailserver.core.dns.DnsResolver;

/**
 * DMARC (RFC 7489) for one message: finds the policy record of the From domain or of its
 * organisational domain, and checks whether SPF or DKIM passed for a domain aligned with the
 * From domain. Blocking (DNS); thread-safe.
 *
 * <p>The inputs are the authenticated identifiers only: the MAIL FROM domain when SPF passed for
 * it (never the HELO identity, RFC 7489 4.1) and the {@code d=} of every passing DKIM signature.
 */
public final class DmarcVerifier {

    private final DnsResolver dns;
    private final RandomGenerator random;

    public DmarcVerifier(DnsResolver dns) {
        this(dns, new Random());
    }

    /** @param random draws the {@code pct=} sample; tests pass a seeded one. Must be thread-safe if shared. */
    public DmarcVerifier(DnsResolver dns, RandomGenerator random) {
        this.dns = dns;
        this.random = random;
    }

    /**
     * @param fromDomain  the RFC5322.From domain
     * @param spfDomain   the RFC5321.MailFrom domain if SPF passed for it, else null
     * @param dkimDomains the {@code d=} domains of the DKIM signatures that passed
     */
    public DmarcResult check(String fromDomain, String spfDomain, List<String> dkimDomains) {
        String from = OrganizationalDomain.normalize(fromDomain);
        String organizational = OrganizationalDomain.of(from);
        Discovery discovery = discover(from);
        boolean atOrganizational = false;
        if (discovery.absent() && !organizational.equals(from)) {
            discovery = discover(organizational);
            atOrganizational = true;
        }
        if (discovery.record == null) {
            return DmarcResult.noPolicy(discovery.result, from, discovery.reason);
        }
        DmarcRecord record = discovery.record;
        String recordAt = atOrganizational ? organizational : from;
        Optional<String> dkimAligned = dkimDomains.stream()
                .filter(d -> aligned(d, from, record.strictDkim())).findFirst();
        boolean spfAligned = spfDomain != null && aligned(spfDomain, from, record.strictSpf());
        DmarcPolicy policy = record.policyFor(atOrganizational);
        if (spfAligned || dkimAligned.isPresent()) {
            String how = dkimAligned.map(d -> "DKIM d=" + d).orElse("SPF " + spfDomain) + " aligned with " + from;
            return new DmarcResult(DmarcResult.Result.PASS, from, policy, DmarcPolicy.NONE, how);
        }
        String reason = "no aligned SPF or DKIM pass for " + from + " (record at _dmarc." + recordAt
                + ", adkim=" + (record.strictDkim() ? "s" : "r") + ", aspf=" + (record.strictSpf() ? "s" : "r") + ")";
        DmarcPolicy disposition = policy;
        if (record.percent() < 100 && random.nextInt(100) >= record.percent()) {
            disposition = policy.milder();
            reason += "; pct=" + record.percent() + " left this message out";
        }
        return new DmarcResult(DmarcResult.Result.FAIL, from, policy, disposition, reason);
    }

    private static boolean aligned(String domain, String from, boolean strict) {
        String normalized = OrganizationalDomain.normalize(domain);
        return strict ? normalized.equals(from) : OrganizationalDomain.of(normalized).equals(OrganizationalDomain.of(from));
    }

    /** The outcome of asking one name: a record, nothing (go on to the organisational domain), or an end. */
    private record Discovery(DmarcRecord record, DmarcResult.Result result, String reason, boolean absent) {
    }

    /** RFC 7489 6.6.3 for one name. */
    private Discovery discover(String domain) {
        String name = "_dmarc." + domain;
        DnsAnswer<List<String>> answer = dns.txt(name);
        switch (answer.status()) {
            case TEMPORARY_FAILURE -> {
                return new Discovery(null, DmarcResult.Result.TEMPERROR, "DNS lookup of " + name + " failed: " + answer.error(), false);
            }
            case NXDOMAIN, NO_DATA -> {
                return new Discovery(null, DmarcResult.Result.NONE, "no DMARC record for " + domain, true);
            }
            default -> {
            }
        }
        List<String> records = answer.value().stream().filter(DmarcRecord::isDmarc).toList();
        if (records.isEmpty()) {
            return new Discovery(null, DmarcResult.Result.NONE, "no DMARC record for " + domain, true);
        }
        if (records.size() > 1) {
            return new Discovery(null, DmarcResult.Result.NONE, "several DMARC records at " + name + ", none used", false);
        }
        try {
            return new Discovery(DmarcRecord.parse(records.get(0)), null, null, false);
        } catch (InvalidDmarcRecordException e) {
            return new Discovery(null, DmarcResult.Result.NONE, "invalid DMARC record at " + name + ": " + e.getMessage(), false);
        }
    }
}
