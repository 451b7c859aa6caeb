package dev.stagecoach.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka cluster of several KRaft nodes in this JVM, each a broker and a controller, all
 * of them voters of the controller quorum: with three nodes one may be down and the cluster
 * still elects leaders and takes writes. Nodes are numbered from 1; {@link #kill} and
 * {@link #restart} take one away and bring it back.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final String HOST = KafkaNodes.HOST;
    private static final String CONTROLLER_LISTENER = KafkaNodes.CONTROLLER_LISTENER;
    private static final int START_ATTEMPTS = 4;

    private final Path dataDir;
    private final List<KafkaConfig> configs;
    private final KafkaRaftServer[] servers;
    private final String bootstrapServers;
    private final SaslSslListener saslSsl;
    private boolean closed;

    private EmbeddedKafkaCluster(Path dataDir, List<KafkaConfig> configs, List<Integer> ports, KafkaRaftServer[] servers,
                                 SaslSslListener saslSsl) {
        this.dataDir = dataDir;
        this.saslSsl = saslSsl;
        this.configs = configs;
        this.servers = servers;
        this.bootstrapServers = ports.stream().map(port -> HOST + ":" + port).collect(Collectors.joining(","));
    }

    /**
     * Starts {@code nodes} nodes on free ports with a temporary data directory, deleted on close.
     * The offsets and transaction logs, and topics created without a replication factor, get
     * {@link #replicationFactor()} replicas and {@link #minInsyncReplicas()}.
     */
    public static EmbeddedKafkaCluster start(int nodes) {
        return start(nodes, null);
    }

    /** As {@link #start(int)}, every node's client and inter-broker listener requiring SASL_SSL (SCRAM-SHA-512); secrets in {@code secretsDir}. */
    public static EmbeddedKafkaCluster startSaslSsl(int nodes, Path secretsDir) {
        return start(nodes, SaslSslListener.in(secretsDir));
    }

    private static EmbeddedKafkaCluster start(int nodes, SaslSslListener saslSsl) {
        if (nodes < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, not " + nodes);
        }
        Path base;
        try {
            base = Files.createTempDirectory("stagecoach-kafka-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RuntimeException bindFailure = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            // A failed attempt may have formatted some nodes with the ports of that attempt's voters.
            KafkaNodes.deleteRecursively(base);
            List<Integer> brokerPorts = IntStream.range(0, nodes).mapToObj(i -> KafkaNodes.freePort()).toList();
            List<KafkaConfig> configs = configs(base, brokerPorts, saslSsl);
            String clusterId = Uuid.randomUuid().toString();
            List<String> scram = saslSsl == null ? List.of() : saslSsl.scramArguments();
            configs.forEach(config -> KafkaNodes.format(config, clusterId, scram));
            KafkaRaftServer[] servers = new KafkaRaftServer[nodes];
            try {
                startAll(configs, servers);
            } catch (RuntimeException e) {
                for (KafkaRaftServer server : servers) {
                    KafkaNodes.stopQuietly(server);
                }
                if (!KafkaNodes.causedByBindFailure(e)) {
                    KafkaNodes.deleteRecursively(base);
                    throw e;
                }
                bindFailure = e;
                continue;
            }
            EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(base, configs, brokerPorts, servers, saslSsl);
            try {
                cluster.awaitBrokers(nodes);
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }
        KafkaNodes.deleteRecursively(base);
        throw new IllegalStateException("Kafka cluster could not bind its ports in " + START_ATTEMPTS + " attempts", bindFailure);
    }

    private static List<KafkaConfig> configs(Path base, List<Integer> brokerPorts, SaslSslListener saslSsl) {
        int nodes = brokerPorts.size();
        List<Integer> controllerPorts = IntStream.range(0, nodes).mapToObj(i -> KafkaNodes.freePort()).toList();
        String voters = IntStream.range(0, nodes).mapToObj(i -> (i + 1) + "@" + HOST + ":" + controllerPorts.get(i))
                .collect(Collectors.joining(","));
        int replicas = Math.min(3, nodes);
        int minIsr = replicas >= 3 ? 2 : 1;
        List<KafkaConfig> configs = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            Path dir = base.resolve("node-" + (i + 1));
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Properties props = EmbeddedKafkaBroker.brokerProperties(dir, brokerPorts.get(i), controllerPorts.get(i));
            props.put("node.id", String.valueOf(i + 1));
            props.put("controller.quorum.voters", voters);
            props.put("offsets.topic.replication.factor", String.valueOf(replicas));
            props.put("transaction.state.log.replication.factor", String.valueOf(replicas));
            props.put("transaction.state.log.min.isr", String.valueOf(minIsr));
            props.put("share.coordinator.state.topic.replication.factor", String.valueOf(replicas));
            props.put("share.coordinator.state.topic.min.isr", String.valueOf(minIsr));
            props.put("default.replication.factor", String.valueOf(replicas));
            props.put("min.insync.replicas", String.valueOf(minIsr));
            // A node that goes away hands nothing over, as a crashed one would: its partitions stay
            // without a leader until the controller fences it, within the session timeout (6 s
            // rather than the default 18 s). Logs are still flushed, unlike a real crash.
            props.put("controlled.shutdown.enable", "false");
            props.put("broker.session.timeout.ms", "6000");
            props.put("broker.heartbeat.interval.ms", "1000");
            if (saslSsl != null) {
                EmbeddedKafkaBroker.secure(props, brokerPorts.get(i), saslSsl);
            }
            configs.add(KafkaConfig.fromProps(props, false));
        }
        return configs;
    }

    // A node's startup returns only once the controller quorum has a leader, which needs a
    // majority of the voters running: the nodes must start together.
    private static void startAll(List<KafkaConfig> configs, KafkaRaftServer[] servers) {
        ExecutorService starter = Executors.newFixedThreadPool(configs.size());
        try {
            List<Future<?>> started = new ArrayList<>();
            for (int i = 0; i < configs.size(); i++) {
                servers[i] = new KafkaRaftServer(configs.get(i), Time.SYSTEM);
                KafkaRaftServer server = servers[i];
                started.add(starter.submit(server::startup));
            }
            for (Future<?> future : started) {
                future.get(EmbeddedKafkaBroker.READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka cluster did not start within " + EmbeddedKafkaBroker.READY_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the Kafka cluster", e);
        } finally {
            starter.shutdownNow();
        }
    }

    /** Every broker's {@code host:port}, comma separated, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** What a client needs to reach the cluster: {@code bootstrap.servers}, and for a SASL_SSL cluster its security settings. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (saslSsl != null) {
            properties.putAll(saslSsl.clientProperties());
        }
        return properties;
    }

    public int size() {
        return servers.length;
    }

    /** Replicas of the internal topics and of topics created without a count: 3, or fewer on a smaller cluster. */
    public short replicationFactor() {
        return (short) Math.min(3, servers.length);
    }

    /** {@code min.insync.replicas} of the internal topics and the cluster's default: 2 with three replicas, so one node may be down. */
    public int minInsyncReplicas() {
        return replicationFactor() >= 3 ? 2 : 1;
    }

    /**
     * Stops node {@code nodeId} without a controlled shutdown and waits until it is gone: clients
     * and the other nodes find out as from a crash, by failed requests and the controller fencing
     * it after the broker session timeout. Inside this JVM, so its logs are flushed on the way out.
     */
    public synchronized void kill(int nodeId) {
        int index = index(nodeId);
        if (servers[index] == null) {
            return;
        }
        KafkaNodes.stopQuietly(servers[index]);
        servers[index] = null;
    }

    /** Starts a killed node again on its ports and data, and waits until the cluster counts it among its brokers. */
    public synchronized void restart(int nodeId) {
        int index = index(nodeId);
        if (servers[index] != null) {
            throw new IllegalStateException("node " + nodeId + " is running; kill it first");
        }
        KafkaRaftServer server = new KafkaRaftServer(configs.get(index), Time.SYSTEM);
        server.startup();
        servers[index] = server;
        awaitBrokers((int) Stream.of(servers).filter(s -> s != null).count());
    }

    public synchronized boolean isRunning(int nodeId) {
        return servers[index(nodeId)] != null;
    }

    /** Creates the topics that do not exist yet, and waits until the cluster serves them. */
    public void createTopics(Collection<NewTopic> topics) {
        Topics.create(clientProperties(), topics);
    }

    /** Creates topics with {@code partitions} partitions, {@link #replicationFactor()} replicas and {@link #minInsyncReplicas()}. */
    public void createTopics(int partitions, String... names) {
        createTopics(Stream.of(names).map(name -> new NewTopic(name, partitions, replicationFactor())
                .configs(Map.of("min.insync.replicas", String.valueOf(minInsyncReplicas())))).toList());
    }

    Admin admin() {
        Map<String, Object> properties = clientProperties();
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) EmbeddedKafkaBroker.READY_TIMEOUT.toMillis());
        return Admin.create(properties);
    }

    private void awaitBrokers(int expected) {
        long deadline = System.nanoTime() + EmbeddedKafkaBroker.READY_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMs <= 0) {
                    throw new IllegalStateException("Kafka cluster at " + bootstrapServers + " did not have " + expected
                            + " brokers within " + EmbeddedKafkaBroker.READY_TIMEOUT.toSeconds() + " s");
                }
                try {
                    if (admin.describeCluster().nodes().get(remainingMs, TimeUnit.MILLISECONDS).size() >= expected) {
                        return;
                    }
                } catch (ExecutionException e) {
                    // A node that is still joining may refuse the request; ask again until the deadline.
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka cluster at " + bootstrapServers + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka cluster", e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // All together: a node alone may wait for a quorum the others have already left.
        ExecutorService stopper = Executors.newFixedThreadPool(servers.length);
        try {
            List<Future<?>> stopped = new ArrayList<>();
            for (KafkaRaftServer server : servers) {
                if (server != null) {
                    stopped.add(stopper.submit(() -> KafkaNodes.stopQuietly(server)));
                }
            }
            for (Future<?> future : stopped) {
                future.get(60, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka cluster did not stop cleanly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopper.shutdownNow();
            KafkaNodes.deleteRecursively(dataDir);
        }
    }

    private int index(int nodeId) {
        if (nodeId < 1 || nodeId > servers.length) {
            throw new IllegalArgumentException("node ids are 1 to " + servers.length + ", not " + nodeId);
        }
        return nodeId - 1;
    }

}
