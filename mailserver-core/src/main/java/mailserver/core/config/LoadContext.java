package mailserver.core.config;

import java.nio.file.Path;

/**
 * What every section of one load shares.
 *
 * @param baseDir      the config file's folder; relative paths in the file are relative to it
 * @param problems     where every section reports
 * @param placeholders {@code ${ENV}} substitution for scalar values
 */
record LoadContext(Path baseDir, Problems problems, Placeholders placeholders) {
}
