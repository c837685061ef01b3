package mailserver.dist.cli;

import picocli.CommandLine.IVersionProvider;

/** The version Maven wrote into the jar's manifest; "development" when run from classes. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"mailserver " + (version == null ? "development" : version)};
    }
}
