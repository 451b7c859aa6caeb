package dev.stagecoach.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka (KRaft broker and controller in one server) running in this JVM.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private static final String HOST = KafkaNodes.HOST;
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = KafkaNodes.CONTROLLER_LISTENER;
    // Free ports are found by binding port 0 and closing it again, so another process can
    // take one before the broker binds it.
    private static final int START_ATTEMPTS = 4;

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final SaslSslListener saslSsl;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir,
                                boolean deleteDataDirOnClose, SaslSslListener saslSsl) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.saslSsl = saslSsl;
    }

    /** Starts a broker on free ports with a temporary data directory, deleted on close. */
    public static EmbeddedKafkaBroker start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("stagecoach-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return start(dir, 0, true, null);
        } catch (RuntimeException e) {
            KafkaNodes.deleteRecursively(dir);
            throw e;
        }
    }

    /**
     * Starts a broker whose only client listener requires SASL_SSL with SCRAM-SHA-512: a
     * self-signed certificate and a user made for it, both in {@code secretsDir}, which
     * {@link #clientProperties()} tells clients about. Data in a temporary directory, deleted on close.
     */
    public static EmbeddedKafkaBroker startSaslSsl(Path secretsDir) {
        Path dir;
        try {
            dir = Files.createTempDirectory("stagecoach-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return start(dir, 0, true, SaslSslListener.in(secretsDir));
        } catch (RuntimeException e) {
            KafkaNodes.deleteRecursively(dir);
            throw e;
        }
    }

    /** As {@link #startSaslSsl(Path)}, with a kept data directory and a fixed port ({@code 0}: any free one). */
    public static EmbeddedKafkaBroker startSaslSsl(Path dataDir, int port, Path secretsDir) {
        return start(dataDir.toAbsolutePath(), port, false, SaslSslListener.in(secretsDir));
    }

    /** Starts a broker on free ports that keeps its data in {@code dataDir}, formatting it on first use. */
    public static EmbeddedKafkaBroker start(Path dataDir) {
        return start(dataDir, 0);
    }

    /** As {@link #start(Path)}, with the client port fixed ({@code 0} picks a free one). */
    public static EmbeddedKafkaBroker start(Path dataDir, int port) {
        return start(dataDir.toAbsolutePath(), port, false, null);
    }

    private static EmbeddedKafkaBroker start(Path dataDir, int port, boolean deleteDataDirOnClose, SaslSslListener saslSsl) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RuntimeException bindFailure = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            int brokerPort = port != 0 ? port : KafkaNodes.freePort();
            int controllerPort = KafkaNodes.freePort();
            Properties properties = brokerProperties(dataDir, brokerPort, controllerPort);
            if (saslSsl != null) {
                secure(properties, brokerPort, saslSsl);
            }
            KafkaConfig config = KafkaConfig.fromProps(properties, false);
            formatIfNew(config, saslSsl == null ? List.of() : saslSsl.scramArguments());
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            try {
                server.startup();
            } catch (RuntimeException e) {
                KafkaNodes.stopQuietly(server);
                if (!KafkaNodes.causedByBindFailure(e)) {
                    throw e;
                }
                bindFailure = e;
                continue;
            }
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(
                    server, HOST + ":" + brokerPort, dataDir, deleteDataDirOnClose, saslSsl);
            try {
                broker.awaitReady();
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
            return broker;
        }
        throw new IllegalStateException(
                "Kafka broker could not bind its ports in " + START_ATTEMPTS + " attempts", bindFailure);
    }

    static Properties brokerProperties(Path dataDir, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", String.valueOf(NODE_ID)),
                Map.entry("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort
                        + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort),
                Map.entry("controller.listener.names", CONTROLLER_LISTENER),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", dataDir.toString()),
                // Kafka's defaults assume three brokers and 50 partitions per internal topic,
                // which cannot work on one node or is slow on two cores.
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.num.partitions", "1"),
                // A new group would otherwise wait 3 s for more members before its first assignment.
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // Topics are created on purpose, so a typo fails instead of making a new topic.
                Map.entry("auto.create.topics.enable", "false"),
                // The log cleaner allocates this buffer up front: 128 MiB of heap by default.
                Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024))));
        return props;
    }

    // The client listener becomes SASL_SSL; the controller's stays plaintext, as only this node talks to it.
    static void secure(Properties properties, int brokerPort, SaslSslListener saslSsl) {
        String listener = SaslSslListener.LISTENER;
        properties.put("listeners", listener + "://" + HOST + ":" + brokerPort
                + "," + properties.getProperty("listeners").substring(properties.getProperty("listeners").indexOf(',') + 1));
        properties.put("advertised.listeners", listener + "://" + HOST + ":" + brokerPort);
        properties.put("listener.security.protocol.map", listener + ":" + listener + "," + CONTROLLER_LISTENER + ":PLAINTEXT");
        properties.putAll(saslSsl.brokerProperties());
    }

    private static void formatIfNew(KafkaConfig config, List<String> scramArguments) {
        // A kept data dir (local stack) is formatted once; formatting it again would clash
        // with the cluster id it already holds.
        if (Files.exists(Path.of(config.metadataLogDir(), "meta.properties"))) {
            return;
        }
        KafkaNodes.format(config, Uuid.randomUuid().toString(), scramArguments);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMs <= 0) {
                    throw new IllegalStateException("Kafka broker at " + bootstrapServers
                            + " did not answer within " + READY_TIMEOUT.toSeconds() + " s");
                }
                Collection<Node> nodes = admin.describeCluster().nodes().get(remainingMs, TimeUnit.MILLISECONDS);
                if (!nodes.isEmpty()) {
                    return;
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka broker at " + bootstrapServers + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * What a client needs to reach this broker: {@code bootstrap.servers}, and for a SASL_SSL
     * broker its protocol, mechanism, user and truststore.
     */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (saslSsl != null) {
            properties.putAll(saslSsl.clientProperties());
        }
        return properties;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Creates the topics that do not exist yet, and waits until the broker serves them. */
    public void createTopics(Collection<NewTopic> topics) {
        Topics.create(clientProperties(), topics);
    }

    /** Creates single-replica topics with {@code partitions} partitions each, skipping existing ones. */
    public void createTopics(int partitions, String... names) {
        createTopics(Stream.of(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList());
    }

    Admin admin() {
        Map<String, Object> properties = clientProperties();
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis());
        return Admin.create(properties);
    }

    /** Blocks until the broker has shut down, which only {@link #close()} or a fatal error causes. */
    void awaitShutdown() {
        server.awaitShutdown();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (deleteDataDirOnClose) {
                KafkaNodes.deleteRecursively(dataDir);
            }
        }
    }

}
