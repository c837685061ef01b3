package mailserver.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class WorkerPoolTest {

    @Test
    void tasksRunWithTheSubmittersMdcOnAWorkerThread() throws Exception {
        try (WorkerPool pool = new WorkerPool(1, 1)) {
            MDC.put(Connection.MDC_KEY, "ABCDEFGHIJ");
            CompletableFuture<String> seen = pool.submit(
                    () -> MDC.get(Connection.MDC_KEY) + " " + Thread.currentThread().getName());
            MDC.remove(Connection.MDC_KEY);

            assertThat(seen.get()).isEqualTo("ABCDEFGHIJ worker-1");
            assertThat(pool.submit(() -> MDC.get(Connection.MDC_KEY)).get()).isNull();
        }
    }

    @Test
    void aFullQueueFailsTheTaskAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (WorkerPool pool = new WorkerPool(1, 1)) {
            CompletableFuture<Boolean> running = pool.submit(() -> {
                started.countDown();
                return release.await(30, TimeUnit.SECONDS);
            });
            started.await();
            CompletableFuture<String> queued = pool.submit(() -> "queued");
            CompletableFuture<String> rejected = pool.submit(() -> "never");

            assertThatThrownBy(rejected::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RejectedExecutionException.class).hasMessageContaining("worker pool busy");
            release.countDown();
            assertThat(running.get()).isTrue();
            assertThat(queued.get()).isEqualTo("queued");
        }
    }

    @Test
    void aFailingTaskFailsItsFuture() {
        try (WorkerPool pool = new WorkerPool(1, 1)) {
            CompletableFuture<String> failed = pool.submit(() -> {
                throw new IllegalStateException("disk on fire");
            });
            assertThatThrownBy(failed::get).cause().isInstanceOf(IllegalStateException.class).hasMessage("disk on fire");
        }
    }
}
