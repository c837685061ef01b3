package mailserver.smtp.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private final RetrySchedule postfix = new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(5),
            Duration.ofDays(2));

    @Test
    void firstRetryAfterFiveMinutesThenDoublingUpToAnHour() {
        assertThat(postfix.backoff(1)).isEqualTo(Duration.ofMinutes(5));
        assertThat(postfix.backoff(2)).isEqualTo(Duration.ofMinutes(10));
        assertThat(postfix.backoff(3)).isEqualTo(Duration.ofMinutes(20));
        assertThat(postfix.backoff(4)).isEqualTo(Duration.ofMinutes(40));
        assertThat(postfix.backoff(5)).isEqualTo(Duration.ofHours(1));
        assertThat(postfix.backoff(1000)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void givesUpAfterTheLifetimeAndSoonerForBounces() {
        Instant arrival = Instant.parse("2025-06-03T10:00:00Z");
        assertThat(postfix.expired(arrival, false, arrival.plus(Duration.ofDays(5)).minusSeconds(1))).isFalse();
        assertThat(postfix.expired(arrival, false, arrival.plus(Duration.ofDays(5)))).isTrue();
        assertThat(postfix.expired(arrival, true, arrival.plus(Duration.ofDays(3)))).isTrue();
        assertThat(postfix.expired(arrival, true, arrival.plus(Duration.ofDays(1)))).isFalse();
    }
}
