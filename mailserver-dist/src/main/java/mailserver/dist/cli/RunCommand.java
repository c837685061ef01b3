package mailserver.dist.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import mailserver.auth.directory.DirectoryException;
import mailserver.core.config.MailserverConfig;
import mailserver.core.net.ListenerBindException;
import mailserver.core.tls.TlsException;
import mailserver.dist.MailServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the server in the foreground until SIGTERM or SIGINT (what systemd runs).")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    private ConfigOption config;

    @Override
    public Integer call() throws Exception {
        MailserverConfig loaded = config.load();
        CountDownLatch stopRequested = new CountDownLatch(1);
        // Our own handlers instead of shutdown hooks: the graceful stop then runs on this
        // thread, and the process exits 0 as systemd expects from a clean stop.
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                LOG.info("SIG{} received: stopping", signal.getName());
                stopRequested.countDown();
            });
        }
        MailServer server = start(loaded);
        LOG.info("{} started with configuration {}", new VersionProvider().getVersion()[0], loaded.source());
        stopRequested.await();
        server.shutdown(loaded.server().shutdownGrace());
        LOG.info("mailserver stopped");
        return 0;
    }

    private static MailServer start(MailserverConfig config) throws Exception {
        try {
            return MailServer.start(config);
        } catch (ListenerBindException | TlsException | DirectoryException e) {
            throw new CommandFailedException(e.getMessage());
        }
    }
}
