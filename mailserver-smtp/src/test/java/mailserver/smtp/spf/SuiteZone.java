package mailserver.smtp.spf;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import mailserver.core.dns.TestDnsServer;
import org.xbill.DNS.Type;

/**
 * Loads one scenario's {@code zonedata} of the RFC 7208 test suite into the loopback DNS
 * server, with the meaning the suite's reference driver (pyspf's testspf.py) gives it:
 * <ul>
 *   <li>{@code SPF} records are served as type SPF (99), and, where the name has no
 *       {@code TXT} entry at all, also as TXT (the suite's header: "auto-magic duplication of
 *       SPF to TXT records (by test suite drivers)");</li>
 *   <li>a value {@code NONE} serves nothing, but a {@code TXT: NONE} still stops that duplication;</li>
 *   <li>{@code TIMEOUT} makes questions for the name's other types time out. The fixture times
 *       out a whole name, so a name that also has records keeps answering them, and
 *       {@link #unservedTimeouts} reports any question the test asked there of another type.</li>
 * </ul>
 */
final class SuiteZone {

    /** Names with both records and TIMEOUT, with the types the records answer. */
    private final Map<String, Set<Integer>> partialTimeouts;

    private SuiteZone(Map<String, Set<Integer>> partialTimeouts) {
        this.partialTimeouts = partialTimeouts;
    }

    static SuiteZone load(JsonNode zonedata, TestDnsServer dns) {
        Map<String, Set<Integer>> partial = new HashMap<>();
        if (zonedata == null) {
            return new SuiteZone(partial);
        }
        for (Map.Entry<String, JsonNode> entry : zonedata.properties()) {
            String name = entry.getKey();
            boolean timeout = false;
            boolean hasTxt = false;
            List<String> spfRdata = new ArrayList<>();
            Set<Integer> served = new HashSet<>();
            for (JsonNode record : entry.getValue()) {
                if (record.isTextual() && record.asText().equals("TIMEOUT")) {
                    timeout = true;
                    continue;
                }
                Map.Entry<String, JsonNode> field = record.properties().iterator().next();
                String type = field.getKey().toUpperCase(Locale.ROOT);
                JsonNode value = field.getValue();
                if (type.equals("TXT")) {
                    hasTxt = true;
                }
                if (value.isTextual() && value.asText().equals("NONE")) {
                    continue;
                }
                switch (type) {
                    case "SPF" -> {
                        String rdata = characterStrings(value);
                        spfRdata.add(rdata);
                        dns.add(name, Type.SPF, rdata);
                        served.add(Type.SPF);
                    }
                    case "TXT" -> {
                        dns.add(name, Type.TXT, characterStrings(value));
                        served.add(Type.TXT);
                    }
                    case "A", "AAAA", "PTR", "CNAME" -> {
                        int rrType = Type.value(type);
                        dns.add(name, rrType, absolute(type, value.asText()));
                        served.add(rrType);
                    }
                    case "MX" -> {
                        dns.add(name, Type.MX, value.get(0).asInt() + " " + absolute("MX", value.get(1).asText()));
                        served.add(Type.MX);
                    }
                    default -> throw new IllegalArgumentException("unknown record type in the suite: " + type + " at " + name);
                }
            }
            if (!hasTxt) {
                for (String rdata : spfRdata) {
                    dns.add(name, Type.TXT, rdata);
                    served.add(Type.TXT);
                }
            }
            if (timeout) {
                if (served.isEmpty() || served.equals(Set.of(Type.SPF))) {
                    dns.timeout(name);
                } else {
                    partial.put(name.toLowerCase(Locale.ROOT), served);
                }
            }
        }
        return new SuiteZone(partial);
    }

    /**
     * Questions the evaluation asked of a partly timing-out name for a type it has no records
     * of: the reference driver would have timed them out, this fixture answered "no data".
     */
    List<String> unservedTimeouts(List<TestDnsServer.Query> queries) {
        List<String> unserved = new ArrayList<>();
        for (TestDnsServer.Query query : queries) {
            Set<Integer> served = partialTimeouts.get(query.name());
            if (served != null && !served.contains(query.type())) {
                unserved.add(query.name() + "/" + Type.string(query.type()));
            }
        }
        return unserved;
    }

    /** Host names in the suite are absolute; IP addresses pass unchanged. */
    private static String absolute(String type, String value) {
        if (type.equals("A") || type.equals("AAAA") || value.endsWith(".")) {
            return value;
        }
        return value + ".";
    }

    /**
     * TXT/SPF rdata in zone-file syntax: one quoted character-string per list element (a
     * plain string is one element), split at 255 bytes as DNS requires. Bytes outside
     * printable ASCII are written as \DDD so the suite's non-ASCII records arrive byte-exact.
     */
    private static String characterStrings(JsonNode value) {
        List<String> elements = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(element -> elements.add(element.asText()));
        } else {
            elements.add(value.asText());
        }
        StringBuilder rdata = new StringBuilder();
        for (String element : elements) {
            byte[] bytes = element.getBytes(StandardCharsets.UTF_8);
            int start = 0;
            do {
                int end = Math.min(bytes.length, start + 255);
                if (!rdata.isEmpty()) {
                    rdata.append(' ');
                }
                rdata.append('"');
                for (int i = start; i < end; i++) {
                    int b = bytes[i] & 0xff;
                    if (b < 0x20 || b >= 0x7f) {
                        rdata.append(String.format("\\%03d", b));
                    } else {
                        if (b == '"' || b == '\\') {
                            rdata.append('\\');
                        }
                        rdata.append((char) b);
                    }
                }
                rdata.append('"');
                start = end;
            } while (start < bytes.length);
        }
        return rdata.toString();
    }
}
