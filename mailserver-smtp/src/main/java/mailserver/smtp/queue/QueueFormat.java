package mailserver.smtp.queue;

import java.io.IOException;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON of {@link QueueEnvelope} files: written by {@link QueueWriter}, read by the Outbound
 * scheduler. Reading has hard limits, since a queue folder is only as trustworthy as its disk.
 */
public final class QueueFormat {

    /** 1000 recipients of about 1 KiB each, with room to spare. */
    public static final int MAX_ENVELOPE_BYTES = 4 * 1024 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(8).maxStringLength(64 * 1024).build());
    }

    private QueueFormat() {
    }

    public static byte[] encode(QueueEnvelope envelope) {
        try {
            return JSON.writeValueAsBytes(envelope);
        } catch (JacksonException e) {
            throw new IllegalStateException("a queue envelope always serialises", e);
        }
    }

    /** @throws IOException naming what is wrong, for an oversized, truncated or foreign file */
    public static QueueEnvelope decode(byte[] json) throws IOException {
        if (json.length > MAX_ENVELOPE_BYTES) {
            throw new IOException("queue envelope of " + json.length + " bytes, more than " + MAX_ENVELOPE_BYTES);
        }
        try {
            JsonNode tree = JSON.readTree(json);
            if (tree instanceof ObjectNode envelope) {
                upgrade(envelope);
            }
            return JSON.treeToValue(tree, QueueEnvelope.class);
        } catch (JacksonException e) {
            throw new IOException("not a queue envelope: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Version 1 entries were written before the scheduler existed: nobody has tried their
     * recipients yet. Version 2 entries predate delay warnings: none was sent.
     */
    private static void upgrade(ObjectNode envelope) {
        int version = envelope.path("version").asInt();
        if (version != 1 && version != 2) {
            return;
        }
        envelope.put("version", QueueEnvelope.VERSION);
        for (JsonNode recipient : envelope.path("recipients")) {
            if (recipient instanceof ObjectNode r) {
                if (version == 1) {
                    r.put("attempts", 0);
                    r.putNull("nextAttempt");
                    r.putNull("last");
                }
                r.put("delayWarned", false);
            }
        }
    }
}
