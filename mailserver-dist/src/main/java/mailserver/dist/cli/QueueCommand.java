package mailserver.dist.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import mailserver.core.config.ConfigException;
import mailserver.smtp.queue.QueueEnvelope;
import mailserver.smtp.queue.QueueEnvelope.QueueRecipient;
import mailserver.smtp.queue.QueueFormat;
import mailserver.smtp.queue.QueueStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Postfix's postqueue and postsuper for the outbound queue, safe while the server runs: a
 * deletion takes the entry's lock, which the server takes too before it records an attempt;
 * flush and retry leave a request in {@code queue/trigger/}, which the running server picks up
 * within a second (or the next one at its start).
 */
@Command(name = "queue", description = "List, show, flush, retry and delete outbound queue entries.")
final class QueueCommand {

    private static final DateTimeFormatter ARRIVAL = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss", Locale.ROOT);
    /** The header of a message is shown up to here; a longer one is cut. */
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    @Spec
    private CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the entries as postqueue -p does: id, size, arrival, sender, recipients with the last error.")
    int list(@Mixin ConfigOption config) throws Exception {
        QueueStore store = open(config);
        PrintWriter out = out();
        List<String> ids = store.ids();
        if (ids.isEmpty()) {
            out.println("Mail queue is empty");
            return 0;
        }
        out.printf("%-20s %8s %-20s %s%n", "-Queue ID-", "--Size--", "----Arrival Time----", "-Sender/Recipient-------");
        long bytes = 0;
        int count = 0;
        for (String id : ids) {
            Optional<QueueEnvelope> entry = read(store, id);
            if (entry.isEmpty()) {
                continue; // delivered meanwhile
            }
            QueueEnvelope e = entry.get();
            long size = size(store.messageFile(id));
            bytes += size;
            count++;
            String arrival = ARRIVAL.format(Instant.parse(e.arrival()).atZone(ZoneId.systemDefault()));
            out.printf("%-20s %8d %-20s %s%n", id, size, arrival, e.sender().isEmpty() ? "MAILER-DAEMON" : e.sender());
            for (QueueRecipient r : e.recipients()) {
                if (r.last() != null) {
                    out.printf("%51s(%s)%n", "", r.last().diagnostic());
                }
                out.printf("%51s%s%n", "", r.address());
            }
            out.println();
        }
        out.printf("-- %d Kbytes in %d Request%s.%n", (bytes + 1023) / 1024, count, count == 1 ? "" : "s");
        out.flush();
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print an entry's envelope and its message header.")
    int show(@Mixin ConfigOption config, @Parameters(paramLabel = "ID") String id) throws Exception {
        QueueStore store = open(config);
        QueueEnvelope e = existing(store, id);
        PrintWriter out = out();
        out.println(new String(QueueFormat.encode(e), StandardCharsets.UTF_8));
        out.println();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(store.messageFile(id)))) {
            out.print(header(in).replace("\r\n", System.lineSeparator()));
        } catch (NoSuchFileException gone) {
            throw new CommandFailedException("queue entry " + id + " was delivered or deleted meanwhile");
        }
        out.flush();
        return 0;
    }

    @Command(name = "flush", mixinStandardHelpOptions = true,
            description = "Make every entry due now; the running server tries them within a second.")
    int flush(@Mixin ConfigOption config) throws Exception {
        QueueStore store = open(config);
        store.requestFlush(Optional.empty());
        out().println("flush requested for " + store.ids().size() + " queue entries");
        return 0;
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Make one entry due now; the running server tries it within a second.")
    int retry(@Mixin ConfigOption config, @Parameters(paramLabel = "ID") String id) throws Exception {
        QueueStore store = open(config);
        existing(store, id);
        store.requestFlush(Optional.of(id));
        out().println("retry requested for " + id);
        return 0;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete an entry without delivering it or telling its sender.")
    int delete(@Mixin ConfigOption config, @Parameters(paramLabel = "ID") String id) throws Exception {
        QueueStore store = open(config);
        checkId(store, id);
        if (!store.locked(id, () -> store.remove(id))) {
            throw new CommandFailedException("no queue entry " + id);
        }
        // Tells a running server to forget it at once.
        store.requestFlush(Optional.of(id));
        out().println("deleted " + id);
        return 0;
    }

    private static QueueStore open(ConfigOption config) throws ConfigException, IOException {
        Path dir = config.load().server().dataDir().resolve("queue");
        if (!Files.isDirectory(dir)) {
            throw new CommandFailedException("no queue folder " + dir + ": has the server run with this configuration?");
        }
        return new QueueStore(dir);
    }

    private static QueueEnvelope existing(QueueStore store, String id) throws IOException {
        checkId(store, id);
        return read(store, id).orElseThrow(() -> new CommandFailedException("no queue entry " + id));
    }

    private static void checkId(QueueStore store, String id) {
        if (!store.isQueueId(id)) {
            throw new CommandFailedException("not a queue id: " + id);
        }
    }

    private static Optional<QueueEnvelope> read(QueueStore store, String id) {
        try {
            return store.read(id);
        } catch (IOException e) {
            throw new CommandFailedException("queue entry " + id + " is unreadable: " + e.getMessage());
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String header(InputStream in) throws IOException {
        StringBuilder header = new StringBuilder();
        byte[] line;
        int total = 0;
        while ((line = readLine(in)) != null && total < MAX_HEADER_BYTES) {
            String text = new String(line, StandardCharsets.UTF_8);
            if (text.equals("\r\n") || text.equals("\n")) {
                break;
            }
            header.append(text);
            total += line.length;
        }
        return header.toString();
    }

    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
