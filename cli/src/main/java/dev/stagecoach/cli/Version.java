package dev.stagecoach.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of the build this CLI belongs to; it finds its sibling modules' jars by it. */
final class Version {

    static final String PROJECT = read();

    private Version() {
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("/stagecoach-version.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("stagecoach-version.properties is missing from the CLI jar", e));
        }
    }
}
