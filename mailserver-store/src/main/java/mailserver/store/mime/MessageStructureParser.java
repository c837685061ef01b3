package mailserver.store.mime;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * Parses a message (CRLF form) into a {@link MessageStructure} with Mime4j, streaming: bodies are
 * counted, never held. Hard limits: header fields per entity, header size, MIME nesting.
 */
public final class MessageStructureParser {

    static final int MAX_DEPTH = 32;
    private static final MimeConfig CONFIG = MimeConfig.custom()
            .setMaxLineLen(-1)
            .setMaxHeaderCount(2000)
            .setMaxHeaderLen(256 * 1024)
            .setMaxContentLen(-1)
            .build();

    private MessageStructureParser() {
    }

    /** @throws IOException also when the message breaks a limit */
    public static MessageStructure parse(InputStream message) throws IOException {
        return parse(message, 0);
    }

    private static MessageStructure parse(InputStream message, int depth) throws IOException {
        Handler handler = new Handler(depth);
        MimeStreamParser parser = new MimeStreamParser(CONFIG, DecodeMonitor.SILENT, new DefaultBodyDescriptorBuilder());
        parser.setContentDecoding(false);
        // Attached messages arrive as one body, which we count and parse on our own.
        parser.setNoRecurse();
        parser.setContentHandler(handler);
        try {
            parser.parse(message);
        } catch (MimeException e) {
            throw new IOException("cannot parse MIME structure: " + e.getMessage(), e);
        }
        return new MessageStructure(handler.envelope(), handler.root);
    }

    /** Collects one entity's descriptor and children while the parser walks it. */
    private static final class Entity {
        MaximalBodyDescriptor descriptor;
        long size;
        long lines;
        MessageStructure message;
        final List<BodyPart> children = new ArrayList<>();

        BodyPart build() {
            MaximalBodyDescriptor d = descriptor;
            Map<String, String> parameters = new HashMap<>(d.getContentTypeParameters());
            if ("text".equalsIgnoreCase(d.getMediaType())) {
                // The RFC 2045 default is reported like an explicit charset, as Dovecot does.
                parameters.putIfAbsent("charset", "us-ascii");
            }
            return new BodyPart(lower(d.getMediaType()), lower(d.getSubType()), parameters,
                    d.getContentId(), d.getContentDescription(), lower(d.getTransferEncoding()), size, lines,
                    d.getContentMD5Raw(), lower(d.getContentDispositionType()),
                    d.getContentDispositionParameters(), d.getContentLanguage() == null ? List.of() : d.getContentLanguage(),
                    d.getContentLocation(), children, message);
        }
    }

    private static final class Handler extends AbstractContentHandler {
        private final int depth;
        private final Deque<Entity> open = new ArrayDeque<>();
        private final Map<String, String> envelopeFields = new HashMap<>();
        private BodyPart root;

        Handler(int depth) {
            this.depth = depth;
        }

        @Override
        public void startMessage() {
            open.push(new Entity());
        }

        @Override
        public void startBodyPart() throws MimeException {
            if (open.size() + depth > MAX_DEPTH) {
                throw new MimeException("MIME nesting deeper than " + MAX_DEPTH);
            }
            open.push(new Entity());
        }

        @Override
        public void field(Field field) {
            if (open.size() == 1) {
                envelopeFields.putIfAbsent(field.getName().toLowerCase(Locale.ROOT), unfold(field.getBody()));
            }
        }

        @Override
        public void startMultipart(BodyDescriptor descriptor) {
            open.peek().descriptor = (MaximalBodyDescriptor) descriptor;
        }

        @Override
        public void body(BodyDescriptor descriptor, InputStream in) throws IOException {
            Entity entity = open.peek();
            entity.descriptor = (MaximalBodyDescriptor) descriptor;
            LineCountingInputStream counting = new LineCountingInputStream(in);
            if ("message/rfc822".equalsIgnoreCase(descriptor.getMimeType())) {
                if (open.size() + depth > MAX_DEPTH) {
                    throw new IOException("MIME nesting deeper than " + MAX_DEPTH);
                }
                entity.message = parse(counting, depth + open.size());
            }
            byte[] buffer = new byte[8192];
            while (counting.read(buffer) >= 0) {
                // count what the nested parse left, or the whole body
            }
            entity.size = counting.bytes;
            entity.lines = counting.lines;
        }

        @Override
        public void endBodyPart() {
            Entity done = open.pop();
            open.peek().children.add(done.build());
        }

        @Override
        public void endMessage() {
            root = open.pop().build();
        }

        Envelope envelope() {
            List<EnvelopeAddress> from = addresses("from");
            List<EnvelopeAddress> sender = addresses("sender");
            List<EnvelopeAddress> replyTo = addresses("reply-to");
            return new Envelope(envelopeFields.get("date"), envelopeFields.get("subject"), from,
                    sender.isEmpty() ? from : sender, replyTo.isEmpty() ? from : replyTo,
                    addresses("to"), addresses("cc"), addresses("bcc"),
                    envelopeFields.get("in-reply-to"), envelopeFields.get("message-id"));
        }

        private List<EnvelopeAddress> addresses(String fieldName) {
            String value = envelopeFields.get(fieldName);
            if (value == null || value.isBlank()) {
                return List.of();
            }
            AddressList list = LenientAddressParser.DEFAULT.parseAddressList(value);
            List<EnvelopeAddress> out = new ArrayList<>();
            for (Address a : list) {
                if (a instanceof Mailbox m) {
                    out.add(address(m));
                } else if (a instanceof Group g) {
                    out.add(EnvelopeAddress.groupStart(g.getName()));
                    g.getMailboxes().forEach(m -> out.add(address(m)));
                    out.add(EnvelopeAddress.groupEnd());
                }
            }
            return out;
        }

        private static EnvelopeAddress address(Mailbox m) {
            String route = m.getRoute() == null || m.getRoute().isEmpty() ? null : m.getRoute().toRouteString();
            return new EnvelopeAddress(m.getName(), route, m.getLocalPart(), m.getDomain());
        }
    }

    private static String unfold(String value) {
        return value == null ? null : value.replaceAll("\r?\n(?=[ \t])", "").strip();
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    /** Counts bytes and LFs of what passes through. */
    private static final class LineCountingInputStream extends FilterInputStream {
        long bytes;
        long lines;

        LineCountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                bytes++;
                if (b == '\n') {
                    lines++;
                }
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            for (int i = 0; i < n; i++) {
                if (buffer[offset + i] == '\n') {
                    lines++;
                }
            }
            if (n > 0) {
                bytes += n;
            }
            return n;
        }
    }
}
