package dev.stagecoach.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

/**
 * The docker-compose.yml at the repository root deploys what this repository builds: every
 * service is a module with its Dockerfile, every environment variable overrides a key the
 * service really has, and the init container creates exactly the topics the code uses.
 */
class DockerComposeFileTest {

    /** Services that run a published image instead of a module of this repository. */
    private static final Set<String> INFRASTRUCTURE = Set.of("kafka-1", "kafka-2", "kafka-3", "kafka-init");
    private static final List<String> BROKERS = List.of("kafka-1", "kafka-2", "kafka-3");
    private static final String INIT = "kafka-init";

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static Map<String, Map<String, Object>> services;
    private static Set<String> modules;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readFiles() throws Exception {
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(reader);
            services = (Map<String, Map<String, Object>>) compose.get("services");
        }
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
        NodeList list = ((Element) pom.getElementsByTagName("modules").item(0)).getElementsByTagName("module");
        modules = new TreeSet<>();
        for (int i = 0; i < list.getLength(); i++) {
            modules.add(list.item(i).getTextContent().trim());
        }
    }

    @Test
    void everyServiceIsAModuleWithItsDockerfileAndOnlyExistingConfigurationKeys() {
        List<String> problems = new ArrayList<>();
        services.forEach((name, service) -> {
            if (!INFRASTRUCTURE.contains(name)) {
                problems.addAll(problemsOf(name, service));
            }
        });

        assertThat(problems).as("problems in docker-compose.yml").isEmpty();
        assertThat(services.keySet()).contains("scheduler-service", "stage-workers", "notifier-service");
    }

    @Test
    void unknownVariableIsReportedNamingTheServiceAndTheVariable() {
        Map<String, Object> service = Map.of(
                "build", Map.of("context", "./stage-workers", "dockerfile", "src/main/docker/Dockerfile.jvm"),
                "environment", Map.of("STAGECOACH_WORKER_POLL", "default", "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));

        assertThat(problemsOf("stage-workers", service)).singleElement().asString()
                .startsWith("service \"stage-workers\": environment variable STAGECOACH_WORKER_POLL")
                .contains("stage-workers/src/main/resources/application.properties", "STAGECOACH_WORKER_POOL");
    }

    @Test
    void serviceBuiltFromOutsideTheModulesIsReported() {
        Map<String, Object> service = Map.of(
                "build", Map.of("context", "./dashboard", "dockerfile", "src/main/docker/Dockerfile.jvm"),
                "environment", List.of("KAFKA_BOOTSTRAP_SERVERS=kafka:9092"));

        assertThat(problemsOf("dashboard", service)).singleElement().asString()
                .startsWith("service \"dashboard\": builds ./dashboard, which is not a module of pom.xml");
    }

    @Test
    void initContainerCreatesExactlyTheTopicsOfTheCode() {
        Map<String, String> partitions = new LinkedHashMap<>();
        Map<String, String> policies = new LinkedHashMap<>();
        Map<String, String> retentions = new LinkedHashMap<>();
        for (String spec : environment(services.get(INIT)).get("STAGECOACH_TOPICS").trim().split("\\s+")) {
            String[] parts = spec.split(":");
            partitions.put(parts[0], parts[1]);
            policies.put(parts[0], parts.length > 2 ? parts[2] : "delete");
            retentions.put(parts[0], parts.length > 3 ? parts[3] : "the broker's default");
        }
        Topics topics = new Topics(Topics.DEFAULT_PREFIX);

        assertThat(partitions.keySet()).containsExactlyInAnyOrderElementsOf(topics.all().stream().map(Topic::name).toList());
        for (Topic<?> topic : topics.all()) {
            assertThat(partitions).as("partitions").containsEntry(topic.name(), String.valueOf(topic.partitions()));
            assertThat(policies).as("cleanup policies").containsEntry(topic.name(), topic.cleanupPolicy().configValue());
            assertThat(retentions).as("retentions (ms)").containsEntry(topic.name(),
                    topic.retention() == null ? "the broker's default" : String.valueOf(topic.retention().toMillis()));
        }
        assertThat(String.join("\n", command(services.get(INIT)))).contains("--if-not-exists", "$$STAGECOACH_TOPICS",
                "$${retention:+--config retention.ms=$$retention}",
                "--replication-factor \"$$REPLICATION_FACTOR\"", "--config min.insync.replicas=\"$$MIN_INSYNC_REPLICAS\"");
    }

    @Test
    void threeBrokersVoteInOneQuorumAndEveryTopicHasThreeReplicasTwoInSync() {
        Set<String> nodeIds = new TreeSet<>();
        for (String broker : BROKERS) {
            Map<String, String> environment = environment(services.get(broker));
            nodeIds.add(environment.get("KAFKA_NODE_ID"));
            assertThat(environment).as(broker)
                    .containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093")
                    .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2")
                    .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
                    .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
            assertThat(environment.get("KAFKA_ADVERTISED_LISTENERS")).as(broker).contains("PLAINTEXT://" + broker + ":9092");
        }
        assertThat(nodeIds).containsExactly("1", "2", "3");
        assertThat(environment(services.get(INIT))).containsEntry("REPLICATION_FACTOR", "3").containsEntry("MIN_INSYNC_REPLICAS", "2");
        assertThat(environment(services.get("scheduler-service")))
                .containsEntry("STAGECOACH_TOPICS_REPLICATION_FACTOR", "3").containsEntry("STAGECOACH_TOPICS_MIN_INSYNC_REPLICAS", "2");
        services.forEach((name, service) -> {
            if (!INFRASTRUCTURE.contains(name)) {
                assertThat(environment(service).get("KAFKA_BOOTSTRAP_SERVERS")).as(name + " bootstrap servers")
                        .isEqualTo("kafka-1:9092,kafka-2:9092,kafka-3:9092");
            }
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyModuleServiceWaitsForTheTopicsAndIsProbedForReadinessOnItsOwnPort() {
        services.forEach((name, service) -> {
            if (INFRASTRUCTURE.contains(name)) {
                return;
            }
            Map<String, Map<String, String>> dependsOn = (Map<String, Map<String, String>>) service.get("depends_on");
            assertThat(dependsOn).as(name + " depends_on").containsKey(INIT);
            assertThat(dependsOn.get(INIT)).as(name).containsEntry("condition", "service_completed_successfully");
            String port = environment(service).get("QUARKUS_HTTP_PORT");
            List<String> probe = (List<String>) ((Map<String, Object>) service.get("healthcheck")).get("test");
            assertThat(port).as(name + " QUARKUS_HTTP_PORT").isNotBlank();
            assertThat(probe).as(name + " healthcheck").contains("http://localhost:" + port + "/q/health/ready");
        });
    }

    /** What is wrong with one service that should be built from a module; empty when nothing is. */
    @SuppressWarnings("unchecked")
    private static List<String> problemsOf(String name, Map<String, Object> service) {
        List<String> problems = new ArrayList<>();
        if (!(service.get("build") instanceof Map<?, ?> build) || !(build.get("context") instanceof String context)) {
            return List.of("service \"" + name + "\": has no build.context; a Stagecoach service is built from its module");
        }
        String module = context.replaceFirst("^\\./", "");
        if (!modules.contains(module)) {
            return List.of("service \"" + name + "\": builds " + context + ", which is not a module of pom.xml " + modules);
        }
        Path dockerfile = ROOT.resolve(module).resolve((String) ((Map<String, Object>) build).getOrDefault("dockerfile", "Dockerfile"));
        if (!Files.isRegularFile(dockerfile)) {
            problems.add("service \"" + name + "\": its Dockerfile " + ROOT.relativize(dockerfile) + " does not exist");
        }
        Path propertiesFile = ROOT.resolve(module).resolve("src/main/resources/application.properties");
        Set<String> known = environmentNamesOfKeys(propertiesFile);
        for (String variable : environment(service).keySet()) {
            if (!known.contains(variable)) {
                String family = variable.split("_")[0] + "_";
                List<String> near = known.stream().filter(k -> k.startsWith(family)).toList();
                problems.add("service \"" + name + "\": environment variable " + variable + " overrides no key of "
                        + ROOT.relativize(propertiesFile) + "; add the key there with its default, or fix the name"
                        + (near.isEmpty() ? "" : " (keys of that file starting " + family + ": " + String.join(", ", near) + ")"));
            }
        }
        return problems;
    }

    /**
     * The environment variable that overrides each key, as Quarkus maps them: {@code %test.} and
     * other profile prefixes dropped, upper case, every other character than a letter or digit as {@code _}.
     */
    private static Set<String> environmentNamesOfKeys(Path propertiesFile) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(propertiesFile)) {
            properties.load(reader);
        } catch (IOException e) {
            return Set.of();
        }
        Set<String> names = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            String withoutProfile = key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
            names.add(withoutProfile.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        }
        return names;
    }

    /** Compose allows both a mapping and a list of NAME=value. */
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> variables = new LinkedHashMap<>();
        Object environment = service.get("environment");
        if (environment instanceof Map<?, ?> map) {
            map.forEach((key, value) -> variables.put(key.toString(), String.valueOf(value)));
        } else if (environment instanceof List<?> list) {
            list.forEach(item -> {
                String[] pair = item.toString().split("=", 2);
                variables.put(pair[0], pair.length > 1 ? pair[1] : "");
            });
        }
        return variables;
    }

    private static List<String> command(Map<String, Object> service) {
        Object command = service.get("command");
        return command instanceof List<?> list ? list.stream().map(Object::toString).toList()
                : Arrays.asList(String.valueOf(command));
    }
}
