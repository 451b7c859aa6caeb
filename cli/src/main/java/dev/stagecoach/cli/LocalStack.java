package dev.stagecoach.cli;

import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.kafka.KafkaSettings;
import dev.stagecoach.secrets.SecretKeyRing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The whole of Stagecoach on this machine: a Kafka broker and the three services, each a
 * process of its own started from the packaged build, logs in one folder. Used by
 * {@code stagecoach up}/{@code demo} and by the end-to-end tests.
 */
public final class LocalStack implements AutoCloseable {

    public static final String SCHEDULER = "scheduler-service";
    public static final String WORKER = "stage-workers";
    public static final String NOTIFIER = "notifier-service";
    public static final String KAFKA = "kafka";
    /** The name runs and decisions record for whoever uses the stack's own token: the scheduler's admin token's. */
    public static final String LOCAL_TOKEN_NAME = "admin";
    private static final Duration READY_WITHIN = Duration.ofSeconds(90);
    private static final List<String> NOTIFIER_SETTING_PREFIXES = List.of("QUARKUS_MAILER_", "STAGECOACH_NOTIFIER_", "STAGECOACH_SECRET_");

    private final Path home;
    private final Path stateDir;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, List<String>> jvmArgsByName = new LinkedHashMap<>();
    private final StackFile stackFile;
    private String token = newToken();
    private final Map<String, String> extraTokens = new LinkedHashMap<>();
    private final Map<String, String> tokenScopes = new LinkedHashMap<>();
    private WorkerPools workers = WorkerPools.defaults();
    private final Map<String, String> poolByWorker = new LinkedHashMap<>();
    private final Map<String, String> notifierSettings = new LinkedHashMap<>();
    private final Map<String, String> stageSecrets = new LinkedHashMap<>();
    /** Read or made once, when the first service that needs it starts. */
    private String secretsKey;
    private short replicationFactor = 1;
    private int minInsyncReplicas = 1;
    private String bootstrapServers;
    private Map<String, String> kafkaSettings = Map.of();
    private Path kafkaConfigFile;
    private boolean saslSslBroker;

    /**
     * @param home the repository root, where the packaged modules are
     * @param stateDir where the broker's data, the services' state and all logs go
     */
    public LocalStack(Path home, Path stateDir) {
        this.home = home.toAbsolutePath();
        this.stateDir = stateDir.toAbsolutePath();
        this.stackFile = new StackFile(this.stateDir);
    }

    /** The admin token of this stack's scheduler: made up when the stack starts, kept in its stack file for later commands. */
    public String token() {
        return token;
    }

    /**
     * Another API token for the scheduler, e.g. {@code ("ci", "operator:...")}: for a stack whose
     * callers need other roles than the stack's own admin token. Set before the services start.
     */
    public LocalStack withToken(String name, String roleAndToken) {
        extraTokens.put(name, roleAndToken);
        return this;
    }

    /**
     * Limits a token of {@link #withToken} to the pipelines matching {@code patterns} (globs,
     * e.g. {@code release-*}). Set before the services start.
     */
    public LocalStack withTokenScope(String name, String... patterns) {
        tokenScopes.put(name, String.join(",", patterns));
        return this;
    }

    /**
     * A secret that the stack's workers give stages as {@code secrets.<name>}, for tests; a user's
     * stack reads them from the environment it was started in ({@code STAGECOACH_SECRET_<NAME>}),
     * as every worker does. Set before the workers start.
     */
    public LocalStack withStageSecret(String name, String value) {
        stageSecrets.put("STAGECOACH_SECRET_" + name, value);
        return this;
    }

    /**
     * The key that seals secret run parameters on this stack, {@code <id>:<base64>}: the one
     * given in this process's {@code STAGECOACH_SECRETS_KEY}, else one made up the first time
     * and kept in the state directory (readable by its owner only), so that a restarted stack
     * still opens what it sealed before.
     */
    synchronized String secretsKey() {
        if (secretsKey == null) {
            secretsKey = readOrMakeSecretsKey();
        }
        return secretsKey;
    }

    private String readOrMakeSecretsKey() {
        String given = System.getenv(SecretKeyRing.KEY_VARIABLE);
        if (given != null && !given.isBlank()) {
            return given;
        }
        Path file = stateDir.resolve("secrets.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(stateDir);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, SecretKeyRing.generate("local-" + LocalDate.now(java.time.ZoneOffset.UTC)));
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the stack's secrets key in " + file, e);
        }
    }

    /**
     * The notifier's channel settings found in {@code environment} (such as this process's):
     * {@code QUARKUS_MAILER_*}, {@code STAGECOACH_NOTIFIER_*}, {@code STAGECOACH_SECRET_*} and
     * {@code STAGECOACH_PUBLIC_URL}, so that the local stack mails through a real SMTP server or
     * posts to a real Slack workspace without a file edited. Set before the services start.
     */
    public LocalStack withNotifierSettings(Map<String, String> environment) {
        notifierSettings.putAll(notifierSettingsIn(environment));
        return this;
    }

    static Map<String, String> notifierSettingsIn(Map<String, String> environment) {
        Map<String, String> settings = new java.util.TreeMap<>();
        environment.forEach((name, value) -> {
            if (NOTIFIER_SETTING_PREFIXES.stream().anyMatch(name::startsWith) || name.equals("STAGECOACH_PUBLIC_URL")) {
                settings.put(name, value);
            }
        });
        return settings;
    }

    /** The channels the notifier's settings configure, for a person to read, e.g. {@code email (smtp.example.com:587), slack}. */
    static String channelsConfigured(Map<String, String> settings) {
        List<String> channels = new ArrayList<>(List.of("webhook"));
        if (!settings.getOrDefault("QUARKUS_MAILER_FROM", "").isBlank()) {
            channels.add("email (" + settings.getOrDefault("QUARKUS_MAILER_HOST", "localhost") + ":"
                    + settings.getOrDefault("QUARKUS_MAILER_PORT", "25") + ")");
        }
        if (!settings.getOrDefault("STAGECOACH_NOTIFIER_SLACK_TOKEN", "").isBlank()) {
            channels.add("slack");
        }
        if (!settings.getOrDefault("STAGECOACH_NOTIFIER_PAGERDUTY_ROUTING_KEY", "").isBlank()) {
            channels.add("pagerduty");
        }
        return String.join(", ", channels);
    }

    public Map<String, String> notifierSettings() {
        return Map.copyOf(notifierSettings);
    }

    /** How many workers each pool gets; one {@code default} worker unless set. Set before the services start. */
    LocalStack withWorkers(WorkerPools workers) {
        this.workers = workers;
        return this;
    }

    /**
     * Replicas and {@code min.insync.replicas} of every topic the stack and its scheduler create,
     * Kafka Streams' internal topics included: for a stack on a cluster of several brokers. Set
     * before the services start.
     */
    public LocalStack withReplication(int replicationFactor, int minInsyncReplicas) {
        if (replicationFactor < 1 || minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("replication factor " + replicationFactor + " with min.insync.replicas "
                    + minInsyncReplicas + ": both must be at least 1, and min.insync.replicas at most the replication factor");
        }
        this.replicationFactor = (short) replicationFactor;
        this.minInsyncReplicas = minInsyncReplicas;
        return this;
    }

    /**
     * Kafka client settings besides {@code bootstrap.servers}, for a cluster that requires them
     * (security protocol, SASL mechanism and JAAS config, trust and key stores): every service
     * and the stack's own clients use them. Set before the services start.
     */
    public LocalStack withKafkaSettings(Map<String, ?> settings) {
        Map<String, String> copy = new TreeMap<>();
        settings.forEach((key, value) -> copy.put(key, String.valueOf(value)));
        copy.remove(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        this.kafkaSettings = Map.copyOf(copy);
        return this;
    }

    /** The client properties file the Kafka settings came from, kept in the stack file so that `up` can restart a service with them. */
    public LocalStack withKafkaConfigFile(Path file) {
        this.kafkaConfigFile = file;
        return this;
    }

    /**
     * The broker {@link #start()} starts requires SASL_SSL (SCRAM-SHA-512) of every client, with
     * a certificate and user it makes; the stack's services and clients get its settings. For tests.
     */
    public LocalStack withSaslSslBroker() {
        this.saslSslBroker = true;
        return this;
    }

    /** What a client of this stack's Kafka needs: {@code bootstrap.servers} and the settings of {@link #withKafkaSettings}. */
    public Map<String, Object> kafkaClientProperties() {
        Map<String, Object> properties = new HashMap<>(kafkaSettings);
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return properties;
    }

    /** The names of the worker processes (their worker ids), in start order. */
    public List<String> workerNames() {
        return List.copyOf((poolByWorker.isEmpty() ? workers.poolByWorker() : poolByWorker).keySet());
    }

    public Path logsDir() {
        return stateDir.resolve("logs");
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String schedulerUrl() {
        return serviceUrl(SCHEDULER);
    }

    /** The HTTP address of one service process, e.g. a second scheduler instance started with {@link #startService}. */
    public String serviceUrl(String name) {
        Integer port = ports.get(name);
        if (port == null) {
            throw new IllegalArgumentException("no service " + name + " in this stack; it has " + ports.keySet());
        }
        return "http://127.0.0.1:" + port;
    }

    /**
     * Stops every process of this stack when this JVM exits, Ctrl-C included: for the demo and
     * the tests, whose stacks must not outlive them (unlike {@code up}'s).
     */
    public LocalStack stopWithThisJvm() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "local-stack-stop"));
        return this;
    }

    /** Starts a broker as a child process, then {@link #startServices}. */
    public LocalStack start() {
        try {
            startBroker();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        startServices(bootstrapServers);
        return this;
    }

    /** Starts the three services against a broker that already runs, and waits until each is ready. */
    public LocalStack startServices(String bootstrap) {
        return startServices(bootstrap, Map.of());
    }

    /**
     * As {@link #startServices(String)}, with extra JVM options per module (the benchmarks
     * try settings this way: a system property overrides the service's configuration).
     */
    public LocalStack startServices(String bootstrap, Map<String, List<String>> jvmArgsByModule) {
        this.bootstrapServers = bootstrap;
        try {
            createTopics();
            startService(SCHEDULER, SCHEDULER, jvmArgsByModule.getOrDefault(SCHEDULER, List.of()));
            poolByWorker.putAll(workers.poolByWorker());
            for (String worker : poolByWorker.keySet()) {
                startService(worker, WORKER, jvmArgsByModule.getOrDefault(WORKER, List.of()));
            }
            startService(NOTIFIER, NOTIFIER, jvmArgsByModule.getOrDefault(NOTIFIER, List.of()));
            List<String> services = new ArrayList<>(List.of(SCHEDULER, NOTIFIER));
            services.addAll(poolByWorker.keySet());
            for (String service : services) {
                awaitReady(service);
            }
        } catch (RuntimeException e) {
            // The caller never gets a stack to close: stop what did start, or it outlives us.
            close();
            throw e;
        }
        stackFile.write(contents(pids()));
        return this;
    }

    /**
     * Starts again the processes of a running stack that have ended (a kill -9, a crash), as
     * they were: same ports, state, token, pool. What still runs is left alone. This is what
     * {@code up} does on a stack that is partly down.
     *
     * @return the names of the processes started again
     */
    public List<String> restartEnded(StackFile.Contents recorded) {
        List<String> ended = recorded.ended();
        bootstrapServers = recorded.bootstrapServers();
        if (recorded.token() != null) {
            token = recorded.token();
        }
        ports.putAll(recorded.ports());
        if (recorded.workers() != null) {
            poolByWorker.putAll(recorded.workers());
        }
        if (recorded.kafkaConfig() != null) {
            kafkaConfigFile = Path.of(recorded.kafkaConfig());
        }
        if (ended.contains(KAFKA)) {
            startBroker(portOf(bootstrapServers));
        }
        List<String> services = ended.stream().filter(name -> !name.equals(KAFKA)).toList();
        for (String name : services) {
            startService(name, moduleOf(name), List.of());
        }
        Map<String, Long> pids = new LinkedHashMap<>(recorded.pids());
        pids.putAll(pids());
        stackFile.write(contents(pids));
        for (String name : services) {
            awaitReady(name);
        }
        return ended;
    }

    private String moduleOf(String name) {
        if (name.equals(SCHEDULER) || name.equals(NOTIFIER)) {
            return name;
        }
        if (poolByWorker.containsKey(name) || name.startsWith(WORKER)) {
            return WORKER;
        }
        throw new IllegalStateException("the stack file names a process " + name + " that is none of the stack's services");
    }

    private StackFile.Contents contents(Map<String, Long> pids) {
        return new StackFile.Contents(bootstrapServers, ports, pids, token, poolByWorker,
                kafkaConfigFile == null ? null : kafkaConfigFile.toAbsolutePath().toString());
    }

    private static int portOf(String bootstrapServers) {
        return Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
    }

    public void startBroker() {
        startBroker(0);
    }

    /**
     * kill -9 of the broker, then a start on the same port and data directory: what the
     * services wrote before is still there, and their clients reconnect on their own.
     */
    public void killAndRestartBroker() {
        int port = portOf(bootstrapServers);
        kill(KAFKA);
        startBroker(port);
    }

    /** @param port 0 for any free one */
    private void startBroker(int port) {
        try {
            Files.createDirectories(logsDir());
            Path portFile = stateDir.resolve("broker.address");
            Files.deleteIfExists(portFile);
            Path testkit = home.resolve("testkit/target");
            String classpath = testkit.resolve("testkit-" + Version.PROJECT + ".jar") + java.io.File.pathSeparator
                    + testkit.resolve("lib") + java.io.File.separator + "*";
            requireBuilt(testkit.resolve("testkit-" + Version.PROJECT + ".jar"));
            List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "-XX:+UseSerialGC", "-cp", classpath,
                    "dev.stagecoach.testkit.KafkaBrokerMain", "--data-dir", stateDir.resolve("kafka").toString(),
                    "--port-file", portFile.toString(), "--port", Integer.toString(port)));
            Path secrets = stateDir.resolve("kafka-secrets");
            if (saslSslBroker) {
                command.addAll(List.of("--sasl-ssl", secrets.toString()));
            }
            Process broker = launch("kafka", command);
            // Tracked like the services, so that close() and `down` stop the broker too.
            processes.put(KAFKA, broker);
            Instant giveUp = Instant.now().plus(READY_WITHIN);
            while (!Files.exists(portFile)) {
                if (!broker.isAlive() || Instant.now().isAfter(giveUp)) {
                    throw new IllegalStateException("the Kafka broker did not start; see " + logsDir().resolve("kafka.log"));
                }
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            bootstrapServers = Files.readString(portFile).trim();
            if (saslSslBroker) {
                withKafkaSettings(KafkaSettings.load(secrets.resolve("client.properties")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts (or restarts, on the same port and state) one service process.
     *
     * @param name names the process, its log file and, for a worker, its worker id
     * @param module the packaged module to run
     * @param jvmArgs extra JVM options, such as system properties
     */
    public void startService(String name, String module, List<String> jvmArgs) {
        Path jar = home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        requireBuilt(jar);
        int port = ports.computeIfAbsent(name, s -> freePort());
        jvmArgsByName.put(name, List.copyOf(jvmArgs));
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + bootstrapServers));
        // Only keys the module knows: each service validates every stagecoach.* key it is given.
        if (module.equals(SCHEDULER)) {
            // Per instance: Kafka Streams keeps its process id in its state directory, and the
            // instance id makes a restart in place come back as the same group member.
            command.add("-Dkafka-streams.state.dir=" + stateDir.resolve(name.equals(SCHEDULER) ? "scheduler-state" : name + "-state"));
            command.add("-Dstagecoach.cluster.instance-id=" + name);
            command.add("-Dstagecoach.cluster.advertised-address=127.0.0.1:" + port);
        } else if (module.equals(WORKER)) {
            command.add("-Dstagecoach.worker.work-dir=" + stateDir.resolve("work"));
            command.add("-Dstagecoach.worker.artifact-dir=" + stateDir.resolve("artifacts"));
            command.add("-Dstagecoach.worker.id=" + name);
            command.add("-Dstagecoach.worker.pool=" + poolByWorker.getOrDefault(name, "default"));
        }
        if (module.equals(SCHEDULER)) {
            // The commands topics it creates and Kafka Streams' internal topics, laid out like the stack's own.
            command.add("-Dstagecoach.topics.replication-factor=" + replicationFactor);
            command.add("-Dstagecoach.topics.min-insync-replicas=" + minInsyncReplicas);
        }
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        // Tokens and Kafka credentials go in the environment, not the command line, where any local user could read them.
        Map<String, String> environment = new LinkedHashMap<>(KafkaSettings.asEnvironment(kafkaSettings));
        if (module.equals(SCHEDULER) || module.equals(WORKER)) {
            // The scheduler seals secret parameters with it, the workers open them.
            environment.put(SecretKeyRing.KEY_VARIABLE, secretsKey());
        }
        if (module.equals(WORKER)) {
            environment.putAll(stageSecrets);
        }
        if (module.equals(SCHEDULER)) {
            environment.put("STAGECOACH_AUTH_ADMIN_TOKEN", token);
            extraTokens.forEach((tokenName, value) -> environment.put("STAGECOACH_AUTH_TOKENS_" + tokenName.toUpperCase(Locale.ROOT), value));
            tokenScopes.forEach((tokenName, globs) -> environment.put("STAGECOACH_AUTH_SCOPES_" + tokenName.toUpperCase(Locale.ROOT), globs));
        } else if (module.equals(NOTIFIER)) {
            // Links in messages lead to this stack's scheduler unless the settings say otherwise.
            if (ports.containsKey(SCHEDULER)) {
                environment.put("STAGECOACH_PUBLIC_URL", schedulerUrl());
            }
            environment.putAll(notifierSettings);
        }
        processes.put(name, launch(name, command, environment));
    }

    /** kill -9 of one service, then a fresh start of it on the same port, state directory and JVM options. */
    public void killAndRestart(String name, String module) {
        kill(name);
        startService(name, module, jvmArgsByName.getOrDefault(name, List.of()));
        awaitReady(name);
    }

    public void awaitReady(String service) {
        Integer port = ports.get(service);
        Process process = processes.get(service);
        Instant giveUp = Instant.now().plus(READY_WITHIN);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        while (true) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(service + " exited with code " + process.exitValue()
                        + "; see " + logsDir().resolve(service + ".log"));
            }
            if (port != null && healthy(http, port)) {
                return;
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new IllegalStateException(service + " was not ready within " + READY_WITHIN.toSeconds()
                        + " s; see " + logsDir().resolve(service + ".log"));
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    /** A graceful stop (SIGTERM), as a platform's rolling update does; killed if it has not ended in time. */
    public void stop(String name) {
        Process process = processes.remove(name);
        if (process != null) {
            StackShutdown.stop(Map.of(name, process.toHandle()), stopped -> { });
        }
    }

    /** kill -9: no shutdown hook, no flush, no goodbye. */
    public void kill(String name) {
        Process process = processes.remove(name);
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public Process process(String name) {
        return processes.get(name);
    }

    @Override
    public synchronized void close() {
        Map<String, ProcessHandle> running = new LinkedHashMap<>();
        processes.forEach((name, process) -> running.put(name, process.toHandle()));
        processes.clear();
        StackShutdown.stop(running, name -> { });
        stackFile.delete();
    }

    private void createTopics() {
        Topics topics = new Topics(Topics.DEFAULT_PREFIX);
        try (Admin admin = Admin.create(kafkaClientProperties())) {
            List<Topic<?>> needed = new ArrayList<>(topics.all());
            // The scheduler creates a pool's topic when a pipeline names it; a worker started
            // for a pool before that finds its topic all the same.
            workers.counts().keySet().stream().map(topics::commands).filter(topic -> !needed.contains(topic)).forEach(needed::add);
            List<NewTopic> wanted = new ArrayList<>();
            for (Topic<?> topic : needed) {
                wanted.add(new NewTopic(topic.name(), topic.partitions(), replicationFactor).configs(topic.configs(minInsyncReplicas)));
            }
            for (var result : admin.createTopics(wanted).values().values()) {
                try {
                    result.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    private Process launch(String name, List<String> command) {
        return launch(name, command, Map.of());
    }

    private Process launch(String name, List<String> command, Map<String, String> environment) {
        try {
            Files.createDirectories(logsDir());
            Path log = logsDir().resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private static String newToken() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        processes.forEach((name, process) -> pids.put(name, process.pid()));
        return pids;
    }

    private static boolean healthy(HttpClient http, int port) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void requireBuilt(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing: build first with `mvn -DskipTests install` (./stagecoach does it for you)");
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A port nothing listens on, and that this JVM has not handed out before: the kernel may
     * offer a port it just offered again once the probe closed it, and two services of one
     * stack started on the same port would make the second fail (seen in a test run).
     */
    static int freePort() {
        for (int attempt = 1; ; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                int port = socket.getLocalPort();
                if (HANDED_OUT.add(port) || attempt == 50) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port", e);
            }
        }
    }
}
