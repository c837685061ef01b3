package mailserver.imap.server;

import java.util.List;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;

/**
 * COMPRESS=DEFLATE (RFC 4978): raw deflate (no zlib header) in both directions, between TLS and
 * the line framing, so the framing and its limits see the inflated bytes. Each write is
 * sync-flushed, so a response leaves as soon as it is written.
 */
final class Compression {

    /** One inflated chunk may not exceed this: a small compressed packet cannot blow up memory. */
    static final int MAX_INFLATED_CHUNK = 4 * 1024 * 1024;

    private Compression() {
    }

    /** Adds the codecs right before the framing, which is the handler before {@code firstProtocolHandler}. */
    static void start(ChannelPipeline pipeline, String firstProtocolHandler) {
        List<String> names = pipeline.names();
        String framing = names.get(names.indexOf(firstProtocolHandler) - 1);
        pipeline.addBefore(framing, "inflate", ZlibCodecFactory.newZlibDecoder(ZlibWrapper.NONE, MAX_INFLATED_CHUNK));
        pipeline.addBefore(framing, "deflate", ZlibCodecFactory.newZlibEncoder(ZlibWrapper.NONE));
    }
}
