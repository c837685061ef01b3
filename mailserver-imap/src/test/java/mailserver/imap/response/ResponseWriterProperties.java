package mailserver.imap.response;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import mailserver.imap.parse.Command;
import mailserver.imap.parse.CommandAssembler;
import mailserver.imap.parse.CommandParser;
import mailserver.imap.parse.ImapLimits;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;

/** What the writer encodes as a string, the parser reads back as the same string: quoted or literal, any content. */
class ResponseWriterProperties {

    @Property(tries = 1000)
    void stringsRoundTripThroughTheParser(@ForAll @StringLength(max = 2000) @CharRange(from = 1, to = 0xd7ff) String text)
            throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ResponseWriter out = new ResponseWriter(wire::writeBytes);
        out.raw("a LOGIN ").string(text).sp().string("x").crlf();
        out.flush();
        Command.Login login = (Command.Login) parse(wire.toByteArray());
        assertThat(login.user()).isEqualTo(text);
    }

    @Property(tries = 300)
    void quotedOnlyWhenSafe(@ForAll @StringLength(max = 50) String text) throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ResponseWriter out = new ResponseWriter(wire::writeBytes);
        out.string(text);
        out.flush();
        String written = wire.toString(StandardCharsets.UTF_8);
        if (written.startsWith("\"")) {
            assertThat(written).doesNotContain("\r", "\n", "\0");
            assertThat(text.chars().allMatch(c -> c < 0x80)).isTrue();
        } else {
            assertThat(written).startsWith("{" + text.getBytes(StandardCharsets.UTF_8).length + "}\r\n");
        }
    }

    private static Command parse(byte[] bytes) throws Exception {
        CommandAssembler assembler = new CommandAssembler(ImapLimits.DEFAULT, Path.of(System.getProperty("java.io.tmpdir")));
        int i = 0;
        CommandAssembler.Progress progress = null;
        while (i < bytes.length) {
            if (progress instanceof CommandAssembler.NeedLiteral need) {
                int n = (int) need.size();
                progress = assembler.literal(bytes, i, n);
                i += n;
                continue;
            }
            int lf = i;
            while (bytes[lf] != '\n') {
                lf++;
            }
            progress = assembler.line(java.util.Arrays.copyOfRange(bytes, i, lf + 1));
            i = lf + 1;
        }
        return new CommandParser(ImapLimits.DEFAULT).parse(((CommandAssembler.Complete) progress).command(), false);
    }
}
