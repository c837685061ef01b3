package mailserver.core.config;

import java.nio.file.Path;

/**
 * Certificate chain and private key in PEM. Both {@code null}: a self-signed certificate
 * for {@code server.hostname} is generated under {@link #generatedDir()}.
 */
public record TlsConfig(Path certificate, Path privateKey, Path generatedDir) {

    public boolean selfSigned() {
        return certificate == null;
    }
}
