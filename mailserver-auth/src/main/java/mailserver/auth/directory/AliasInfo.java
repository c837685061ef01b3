package mailserver.auth.directory;

import java.util.List;

/** @param address {@code local@domain}, or {@code @domain} for the domain's catch-all */
public record AliasInfo(String address, List<String> targets, boolean active) {
}
