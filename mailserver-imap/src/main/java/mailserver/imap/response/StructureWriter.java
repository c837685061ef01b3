package mailserver.imap.response;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import mailserver.store.mime.BodyPart;
import mailserver.store.mime.Envelope;
import mailserver.store.mime.EnvelopeAddress;
import org.apache.james.mime4j.codec.EncoderUtil;

/**
 * ENVELOPE, BODY and BODYSTRUCTURE (RFC 3501 7.4.2) from the store's {@link mailserver.store.mime.MessageStructure}.
 * Display names come decoded from the store; for clients that did not enable UTF-8 they are
 * encoded again as RFC 2047 words, since an envelope is defined to carry header text.
 */
public final class StructureWriter {

    private StructureWriter() {
    }

    public static void envelope(ResponseWriter out, Envelope e) throws IOException {
        out.open().nstring(e.date()).sp().nstring(e.subject()).sp();
        addresses(out, e.from());
        out.sp();
        addresses(out, e.sender());
        out.sp();
        addresses(out, e.replyTo());
        out.sp();
        addresses(out, e.to());
        out.sp();
        addresses(out, e.cc());
        out.sp();
        addresses(out, e.bcc());
        out.sp().nstring(e.inReplyTo()).sp().nstring(e.messageId()).close();
    }

    private static void addresses(ResponseWriter out, List<EnvelopeAddress> list) throws IOException {
        if (list == null || list.isEmpty()) {
            out.nil();
            return;
        }
        out.open();
        for (EnvelopeAddress a : list) {
            out.open().nstring(displayName(a.name(), out.utf8())).sp().nstring(a.route()).sp().nstring(a.mailbox()).sp()
                    .nstring(a.host()).close();
        }
        out.close();
    }

    static String displayName(String name, boolean utf8) {
        if (name == null || utf8 || name.chars().allMatch(c -> c < 0x80)) {
            return name;
        }
        return EncoderUtil.encodeEncodedWord(name, EncoderUtil.Usage.TEXT_TOKEN);
    }

    /** BODYSTRUCTURE when {@code extensible}, BODY otherwise. */
    public static void body(ResponseWriter out, BodyPart part, boolean extensible) throws IOException {
        out.open();
        if (part.isMultipart()) {
            if (part.parts().isEmpty()) {
                // A multipart without parts still needs one body in the grammar: an empty text part, as Dovecot sends.
                out.raw("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0)");
            }
            for (BodyPart child : part.parts()) {
                body(out, child, extensible);
            }
            out.sp().string(part.subtype());
            if (extensible) {
                out.sp();
                parameters(out, part.parameters());
                out.sp();
                extensionTail(out, part);
            }
        } else {
            out.string(part.type()).sp().string(part.subtype()).sp();
            parameters(out, part.parameters());
            out.sp().nstring(part.id()).sp().nstring(part.description()).sp()
                    .string(part.encoding() == null ? "7bit" : part.encoding()).sp().number(part.size());
            if (part.type().equals("message") && part.subtype().equals("rfc822") && part.message() != null) {
                out.sp();
                envelope(out, part.message().envelope());
                out.sp();
                body(out, part.message().body(), extensible);
                out.sp().number(part.lines());
            } else if (part.type().equals("text")) {
                out.sp().number(part.lines());
            }
            if (extensible) {
                out.sp().nstring(part.md5()).sp();
                extensionTail(out, part);
            }
        }
        out.close();
    }

    /** body-fld-dsp SP body-fld-lang SP body-fld-loc. */
    private static void extensionTail(ResponseWriter out, BodyPart part) throws IOException {
        if (part.dispositionType() == null) {
            out.nil();
        } else {
            out.open().string(part.dispositionType()).sp();
            parameters(out, part.dispositionParameters());
            out.close();
        }
        out.sp();
        if (part.language().isEmpty()) {
            out.nil();
        } else if (part.language().size() == 1) {
            out.string(part.language().get(0));
        } else {
            out.open();
            for (int i = 0; i < part.language().size(); i++) {
                if (i > 0) {
                    out.sp();
                }
                out.string(part.language().get(i));
            }
            out.close();
        }
        out.sp().nstring(part.location());
    }

    private static void parameters(ResponseWriter out, Map<String, String> parameters) throws IOException {
        if (parameters.isEmpty()) {
            out.nil();
            return;
        }
        out.open();
        boolean first = true;
        // Sorted: the store keeps them in a Map without order, and clients should see the same text every time.
        for (Map.Entry<String, String> p : new TreeMap<>(parameters).entrySet()) {
            if (!first) {
                out.sp();
            }
            first = false;
            out.string(p.getKey().toLowerCase(Locale.ROOT)).sp().string(p.getValue());
        }
        out.close();
    }
}
