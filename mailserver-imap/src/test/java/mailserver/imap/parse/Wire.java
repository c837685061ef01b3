package mailserver.imap.parse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Feeds a client's bytes through a {@link CommandAssembler} as the framing would, for tests. */
final class Wire {

    /** Everything the assembler answered, in order. */
    final List<CommandAssembler.Progress> progress = new ArrayList<>();

    static RawCommand raw(String wire) {
        Wire w = new Wire();
        w.feed(new CommandAssembler(ImapLimits.DEFAULT, Path.of(System.getProperty("java.io.tmpdir"))),
                wire.getBytes(StandardCharsets.UTF_8));
        CommandAssembler.Progress last = w.progress.get(w.progress.size() - 1);
        if (!(last instanceof CommandAssembler.Complete complete)) {
            throw new AssertionError("incomplete command: " + w.progress);
        }
        return complete.command();
    }

    static Command parse(String wire) throws ImapParseException {
        return new CommandParser(ImapLimits.DEFAULT).parse(raw(wire), false);
    }

    /** Lines up to LF, and after a literal announcement exactly the announced bytes. */
    void feed(CommandAssembler assembler, byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            if (assembler.inLiteral()) {
                CommandAssembler.NeedLiteral need = (CommandAssembler.NeedLiteral) progress.get(progress.size() - 1);
                int n = (int) Math.min(need.size(), bytes.length - i);
                progress.add(assembler.literal(bytes, i, n));
                i += n;
                continue;
            }
            int lf = i;
            while (lf < bytes.length && bytes[lf] != '\n') {
                lf++;
            }
            int end = Math.min(lf + 1, bytes.length);
            progress.add(assembler.line(Arrays.copyOfRange(bytes, i, end)));
            i = end;
        }
    }
}
