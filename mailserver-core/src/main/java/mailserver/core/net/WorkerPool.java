package mailserver.core.net;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The threads for work that blocks (Maildir, JDBC, password hashing), so event loops never do.
 * Bounded in threads and queued tasks: when full, a task fails at once with a
 * {@link RejectedExecutionException} and the protocol answers "try again later". A task runs
 * with the MDC (session id) of the thread that submitted it.
 */
public final class WorkerPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

    private final ThreadPoolExecutor executor;

    public WorkerPool(int threads, int queueCapacity) {
        if (threads <= 0 || queueCapacity <= 0) {
            throw new IllegalArgumentException("threads and queue capacity must be positive: " + threads + ", " + queueCapacity);
        }
        AtomicInteger number = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueCapacity),
                runnable -> new Thread(runnable, "worker-" + number.incrementAndGet()));
        executor.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code work} on a worker thread with the caller's MDC. */
    public <T> CompletableFuture<T> submit(Callable<T> work) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> withMdc(mdc, () -> {
                try {
                    result.complete(work.call());
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                }
            }));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new RejectedExecutionException(
                    "worker pool busy: " + executor.getQueue().size() + " tasks waiting", e));
        }
        return result;
    }

    /**
     * Runs {@code work} on a worker thread, then {@code then} with its result or failure on
     * {@code channel}'s event loop, both with the caller's MDC. A failure thrown by
     * {@code then} goes to the channel's pipeline like any handler error.
     */
    public <T> void execute(Channel channel, Callable<T> work, BiConsumer<? super T, ? super Throwable> then) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        submit(work).whenComplete((value, failure) -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            try {
                channel.eventLoop().execute(() -> withMdc(mdc, () -> {
                    try {
                        then.accept(value, cause);
                    } catch (RuntimeException e) {
                        channel.pipeline().fireExceptionCaught(e);
                    }
                }));
            } catch (RejectedExecutionException e) {
                LOG.debug("result dropped, the event loop of {} has shut down", channel);
            }
        });
    }

    /** Lets queued and running tasks finish, waiting at most {@code timeout}, then interrupts them. */
    public void close(Duration timeout) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} worker tasks still running after {}; interrupting them",
                        executor.getActiveCount(), timeout);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private static void withMdc(Map<String, String> mdc, Runnable task) {
        Map<String, String> previous = MDC.getCopyOfContextMap();
        setMdc(mdc);
        try {
            task.run();
        } finally {
            setMdc(previous);
        }
    }

    private static void setMdc(Map<String, String> mdc) {
        if (mdc == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(mdc);
        }
    }
}
