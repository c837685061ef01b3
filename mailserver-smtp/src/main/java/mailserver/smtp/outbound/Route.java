package mailserver.smtp.outbound;

import java.util.List;
import java.util.Objects;

/**
 * Where a destination's mail goes: the servers to try in order, or why there are none.
 *
 * @param hops    in the order to try them; empty when {@code failure} is set
 * @param failure why the destination cannot be reached now (DEFERRED) or ever (BOUNCED), or null
 */
record Route(List<Hop> hops, Failure failure) {

    Route {
        hops = List.copyOf(hops);
        if (hops.isEmpty() == (failure == null)) {
            throw new IllegalArgumentException("a route has either hops or a failure");
        }
    }

    static Route to(List<Hop> hops) {
        return new Route(hops, null);
    }

    static Route failed(RecipientOutcome.Status status, String dsnCode, String diagnostic) {
        return new Route(List.of(), new Failure(status, dsnCode, diagnostic));
    }

    /** A local diagnosis: nothing was said by a remote server. */
    record Failure(RecipientOutcome.Status status, String dsnCode, String diagnostic) {

        Failure {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(dsnCode, "dsnCode");
            Objects.requireNonNull(diagnostic, "diagnostic");
        }
    }
}
