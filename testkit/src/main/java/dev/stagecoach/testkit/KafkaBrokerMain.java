package dev.stagecoach.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the embedded broker as a process of its own, for the local stack:
 * {@code --data-dir DIR --port-file FILE [--port N] [--sasl-ssl SECRETS_DIR]}. With
 * {@code --sasl-ssl} its only client listener requires SASL_SSL, and SECRETS_DIR holds the
 * certificate and {@value SaslSslListener#CLIENT_PROPERTIES} for its clients. Once the broker answers, FILE holds its
 * bootstrap address ({@code host:port}, no newline); the process then runs until it is
 * killed, and a graceful kill removes FILE again.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: KafkaBrokerMain --data-dir DIR --port-file FILE [--port N] [--sasl-ssl SECRETS_DIR]");
            System.exit(2);
            return;
        }
        quietLogsByDefault();
        // Only now: slf4j-simple reads its levels when the first logger is made.
        Logger log = LoggerFactory.getLogger(KafkaBrokerMain.class);

        // A waiter must never read the address of a broker that is gone.
        Files.deleteIfExists(options.portFile());
        long started = System.nanoTime();
        EmbeddedKafkaBroker broker = options.saslSsl() == null
                ? EmbeddedKafkaBroker.start(options.dataDir(), options.port())
                : EmbeddedKafkaBroker.startSaslSsl(options.dataDir(), options.port(), options.saslSsl());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(broker, options.portFile()), "kafka-broker-stop"));
        writeAtomically(options.portFile(), broker.bootstrapServers());
        log.info("Kafka broker ready at {} after {} ms, data in {}",
                broker.bootstrapServers(), (System.nanoTime() - started) / 1_000_000, options.dataDir());
        broker.awaitShutdown();
    }

    private static void stop(EmbeddedKafkaBroker broker, Path portFile) {
        try {
            Files.deleteIfExists(portFile);
        } catch (IOException ignored) {
            // The broker must still stop; a stale file is replaced at the next start.
        }
        broker.close();
    }

    // Readers poll for the file: they must see either nothing or the whole address.
    private static void writeAtomically(Path file, String content) throws IOException {
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temp = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    // The broker's INFO log is hundreds of lines per start; -D flags still win.
    private static void quietLogsByDefault() {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // Warnings that every first start and every stop give, and that say nothing wrong:
        // the new metadata log is empty, and a client is closed twice.
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka.controller.QuorumController", "error");
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
        setIfAbsent("org.slf4j.simpleLogger.log.dev.stagecoach", "info");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    record Options(Path dataDir, Path portFile, int port, Path saslSsl) {

        static Options parse(String[] args) {
            Path dataDir = null;
            Path portFile = null;
            int port = 0;
            Path saslSsl = null;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + name);
                }
                String value = args[++i];
                switch (name) {
                    case "--data-dir" -> dataDir = Path.of(value);
                    case "--port-file" -> portFile = Path.of(value);
                    case "--port" -> port = Integer.parseInt(value);
                    case "--sasl-ssl" -> saslSsl = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (dataDir == null || portFile == null) {
                throw new IllegalArgumentException("--data-dir and --port-file are required");
            }
            return new Options(dataDir, portFile, port, saslSsl);
        }
    }
}
