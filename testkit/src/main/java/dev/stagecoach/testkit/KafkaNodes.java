package dev.stagecoach.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.metadata.storage.Formatter;

/** What starting and stopping in-JVM KRaft nodes needs, for one broker and for a cluster alike. */
final class KafkaNodes {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    static final String HOST = "127.0.0.1";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private KafkaNodes() {
    }

    static void stopQuietly(KafkaRaftServer server) {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException ignored) {
            // A node that failed half way through startup may not shut down cleanly; the
            // startup failure is the one worth reporting.
        }
    }

    /** Formats a node's storage for {@code clusterId}, quietly: the formatter prints to stdout otherwise. */
    static void format(KafkaConfig config, String clusterId) {
        format(config, clusterId, List.of());
    }

    /** As {@link #format(KafkaConfig, String)}, with SCRAM users ({@code kafka-storage format --add-scram} arguments). */
    static void format(KafkaConfig config, String clusterId, List<String> scramArguments) {
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(config.nodeId())
                .setClusterId(clusterId)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(config.metadataLogDir())
                .setDirectories(List.of(config.metadataLogDir()))
                .setScramArguments(scramArguments);
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format Kafka storage in " + config.metadataLogDir(), e);
        }
    }

    /** Free ports are found by binding port 0 and closing it again, so another process may take one first. */
    static boolean causedByBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** A free port this JVM has not handed out before: the kernel may offer a port it just offered again. */
    static int freePort() {
        for (int attempt = 1; ; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                int port = socket.getLocalPort();
                if (HANDED_OUT.add(port) || attempt == 50) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
