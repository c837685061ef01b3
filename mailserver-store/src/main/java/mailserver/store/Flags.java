package mailserver.store;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/** A message's system flags and keywords. Keywords keep the case they were first stored with. */
public record Flags(Set<SystemFlag> system, Set<String> keywords) {

    public static final Flags NONE = new Flags(EnumSet.noneOf(SystemFlag.class), Set.of());

    public Flags {
        system = Collections.unmodifiableSet(system.isEmpty() ? EnumSet.noneOf(SystemFlag.class) : EnumSet.copyOf(system));
        keywords = Collections.unmodifiableSet(new TreeSet<>(keywords));
    }

    public static Flags of(SystemFlag... flags) {
        return new Flags(flags.length == 0 ? EnumSet.noneOf(SystemFlag.class) : EnumSet.of(flags[0], flags), Set.of());
    }

    public Flags withKeywords(String... more) {
        Set<String> all = new TreeSet<>(keywords);
        all.addAll(Set.of(more));
        return new Flags(system, all);
    }

    public boolean contains(SystemFlag flag) {
        return system.contains(flag);
    }

    public boolean isEmpty() {
        return system.isEmpty() && keywords.isEmpty();
    }
}
