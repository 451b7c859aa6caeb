package dev.stagecoach.cli;

import dev.stagecoach.events.CommandAction;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.Topics;
import dev.stagecoach.testkit.EmbeddedKafkaBroker;
import dev.stagecoach.testkit.EmbeddedKafkaCluster;
import dev.stagecoach.testkit.KafkaMode;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/** What the end-to-end tests share: running the CLI in-process, and auditing the commands topic. */
final class EndToEnd {

    private EndToEnd() {
    }

    /**
     * The broker of an end-to-end test: plaintext, or with {@code STAGECOACH_TEST_KAFKA=sasl_ssl}
     * (system property or environment) one that requires SASL_SSL of every client, the stack's included.
     */
    static EmbeddedKafkaBroker startBroker(Path dir) {
        if (KafkaMode.current() == KafkaMode.SASL_SSL) {
            return EmbeddedKafkaBroker.startSaslSsl(dir.resolve("kafka-secrets"));
        }
        return EmbeddedKafkaBroker.start();
    }

    /** A local stack that starts its own broker (a process of its own), SASL_SSL in that mode. */
    static LocalStack stackWithItsOwnBroker(Path dir) {
        LocalStack stack = new LocalStack(Stagecoach.home(), dir.resolve("stack")).stopWithThisJvm();
        return KafkaMode.current() == KafkaMode.SASL_SSL ? stack.withSaslSslBroker() : stack;
    }

    /** Three brokers (replication 3, min ISR 2), SASL_SSL in that mode. */
    static EmbeddedKafkaCluster startCluster(Path dir) {
        if (KafkaMode.current() == KafkaMode.SASL_SSL) {
            return EmbeddedKafkaCluster.startSaslSsl(3, dir.resolve("kafka-secrets"));
        }
        return EmbeddedKafkaCluster.start(3);
    }

    /** A local stack on {@code broker}, with whatever its clients need besides its address. */
    static LocalStack stackOn(EmbeddedKafkaBroker broker, Path dir) {
        return new LocalStack(Stagecoach.home(), dir.resolve("stack")).stopWithThisJvm().withKafkaSettings(broker.clientProperties());
    }

    static String runStatus(ApiClient api, String runId) {
        try {
            return api.run(runId).path("status").asText();
        } catch (ApiClient.ApiException e) {
            return "unavailable: " + e.getMessage();
        }
    }

    /** Every EXECUTE command of the run that was committed to the default pool's commands topic, in order. */
    static List<StageCommand> commandsFor(Map<String, Object> kafka, String runId) {
        return commandsFor(kafka, runId, "default");
    }

    /** Every EXECUTE command of the run that was committed to the commands topic of {@code pool}, in order. */
    static List<StageCommand> commandsFor(Map<String, Object> kafka, String runId, String pool) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-audit-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        List<StageCommand> commands = new ArrayList<>();
        Topic<StageCommand> topic = new Topics(Topics.DEFAULT_PREFIX).commands(pool);
        try (KafkaConsumer<String, StageCommand> consumer = new KafkaConsumer<>(config, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long quietPolls = 0;
            while (quietPolls < 3) {
                var records = consumer.poll(Duration.ofMillis(500));
                quietPolls = records.isEmpty() && !consumer.assignment().isEmpty() ? quietPolls + 1 : 0;
                for (ConsumerRecord<String, StageCommand> record : records) {
                    if (record.value().getRunId().equals(runId) && record.value().getAction() == CommandAction.EXECUTE) {
                        commands.add(record.value());
                    }
                }
            }
        }
        commands.sort(java.util.Comparator.comparing(c -> c.getIssuedAt()));
        return commands;
    }

    /** Starts a run of {@code name} (the body follows {@code pipeline: name:}) through the CLI, as a person would. */
    static String startRun(LocalStack stack, Path dir, String name, String body) throws java.io.IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "pipeline:\n  name: " + name + "\n" + body);
        CliRun cli = cli("run", file.toString(), "--server", stack.schedulerUrl(), "--token", stack.token());
        if (cli.exitCode() != 0) {
            throw new AssertionError("stagecoach run exited with " + cli.exitCode() + ":\n" + cli.output());
        }
        return cli.runId();
    }

    /** The run's status once it has ended, read through the API. */
    static JsonNode awaitEnd(ApiClient api, String runId, Duration within) {
        return Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    try {
                        return api.run(runId);
                    } catch (ApiClient.ApiException e) {
                        return null;
                    }
                }, run -> run != null && List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(run.path("status").asText()));
    }

    static JsonNode stage(JsonNode run, String name) {
        for (JsonNode stage : run.path("stages")) {
            if (stage.path("name").asText().equals(name)) {
                return stage;
            }
        }
        throw new AssertionError("run has no stage " + name + ": " + run);
    }

    /** Every record of a topic that is committed now, read from its start up to its end. */
    static List<ConsumerRecord<String, byte[]>> committedRecords(Map<String, Object> kafka, String topic) {
        return records(kafka, List.of(topic), "read_committed", new StringDeserializer());
    }

    /** Every record of the topics up to their ends now, as {@code isolation} (read_committed or read_uncommitted) sees them. */
    static <K> List<ConsumerRecord<K, byte[]>> records(Map<String, Object> kafka, Collection<String> topics, String isolation,
                                                       Deserializer<K> keys) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        List<ConsumerRecord<K, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<K, byte[]> consumer = new KafkaConsumer<>(config, keys, new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = topics.stream().flatMap(topic -> consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return records;
    }

    /** Creates the topic (one partition) and writes one record to it, returning once the broker has it. */
    static void produce(Map<String, Object> kafka, String topic, String key, String value) {
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create " + topic, e.getCause());
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to " + topic, e.getCause());
        }
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    record CliRun(int exitCode, String output) {
        String runId() {
            return output.lines().filter(l -> l.startsWith("run ") && l.contains(" started"))
                    .map(l -> l.split(" ")[1]).findFirst()
                    .orElseThrow(() -> new AssertionError("no run id in the CLI output:\n" + output));
        }
    }

    /** Runs the CLI in this JVM, capturing what it prints. */
    static synchronized CliRun cli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            int exitCode = Stagecoach.execute(args);
            return new CliRun(exitCode, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            out.print(captured.toString(StandardCharsets.UTF_8).lines().map(l -> "[cli] " + l).collect(Collectors.joining("\n", "", "\n")));
        }
    }
}
