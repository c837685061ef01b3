package mailserver.core.tls;

import java.nio.file.Path;

/** Where a PEM certificate chain and its PEM private key are stored. */
record CertificateFiles(Path certificate, Path privateKey) {
}
