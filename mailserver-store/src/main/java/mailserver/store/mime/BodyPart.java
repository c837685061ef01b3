package mailserver.store.mime;

import java.util.List;
import java.util.Map;

/**
 * One entity of a message's MIME tree with what BODYSTRUCTURE reports about it, independent of
 * how IMAP prints it. Strings are null when the header is absent.
 *
 * @param type      lower case, such as {@code text}; {@code multipart} for containers
 * @param size      body octets with CRLF line ends (0 for multiparts)
 * @param lines     body lines (meaningful for text and message/rfc822)
 * @param parts     children of a multipart, empty otherwise
 * @param message   the structure of an attached message/rfc822, null otherwise
 */
public record BodyPart(String type, String subtype, Map<String, String> parameters, String id, String description,
                       String encoding, long size, long lines, String md5, String dispositionType,
                       Map<String, String> dispositionParameters, List<String> language, String location,
                       List<BodyPart> parts, MessageStructure message) {

    public BodyPart {
        parameters = Map.copyOf(parameters);
        dispositionParameters = Map.copyOf(dispositionParameters);
        language = List.copyOf(language);
        parts = List.copyOf(parts);
    }

    public boolean isMultipart() {
        return type.equals("multipart");
    }
}
