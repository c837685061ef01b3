package mailserver.core.dns;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What one lookup found. Callers branch on {@link #status()}: a TEMPORARY_FAILURE means
 * "try again later" (SMTP 4xx, SPF temperror), never "the name does not exist".
 *
 * @param status what DNS said
 * @param value  the records found; an empty list unless {@code status} is SUCCESS
 * @param error  for TEMPORARY_FAILURE what went wrong (e.g. "SERVFAIL", "timed out ..."); for NXDOMAIN
 *               on a name that is not a valid domain name, why; otherwise empty
 */
public record DnsAnswer<T>(Status status, T value, String error) {

    public enum Status {
        /** At least one record of the asked type. */
        SUCCESS,
        /** The name does not exist (RCODE 3). */
        NXDOMAIN,
        /** The name exists but has no record of the asked type. */
        NO_DATA,
        /** No usable answer: timeout, SERVFAIL, network error. */
        TEMPORARY_FAILURE
    }

    public DnsAnswer {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(error, "error");
    }

    static <T> DnsAnswer<List<T>> success(List<T> value) {
        return new DnsAnswer<>(Status.SUCCESS, List.copyOf(value), "");
    }

    static <T> DnsAnswer<List<T>> empty(Status status, String error) {
        return new DnsAnswer<>(status, List.of(), error);
    }

    public boolean isSuccess() {
        return status == Status.SUCCESS;
    }

    /** The same outcome with the value turned into another type, e.g. records into host names. */
    <R> DnsAnswer<R> map(Function<T, R> mapper) {
        return new DnsAnswer<>(status, mapper.apply(value), error);
    }
}
