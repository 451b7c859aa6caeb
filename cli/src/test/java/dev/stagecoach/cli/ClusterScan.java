package dev.stagecoach.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;

/**
 * Reads every record of every topic of a cluster as raw bytes (keys, values and headers), the
 * internal topics and aborted transactions included, and says where a text shows up: in clear,
 * or in Base64 at any of the three alignments it can take inside a longer encoded text.
 */
final class ClusterScan {

    private final Map<String, Object> kafka;

    ClusterScan(Map<String, Object> kafka) {
        this.kafka = kafka;
    }

    /**
     * @param records how many records the scan read, of every topic
     * @param holding for each topic where a secret showed, how many of its records held one
     */
    record Result(int records, Map<String, Integer> holding) {
    }

    Result scan(List<String> secrets) throws Exception {
        List<byte[]> needles = new ArrayList<>();
        for (String secret : secrets) {
            needles.addAll(encodings(secret));
        }
        Set<String> topics;
        try (Admin admin = Admin.create(kafka)) {
            topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
        }
        int records = 0;
        Map<String, Integer> holding = new TreeMap<>();
        for (String topic : topics) {
            for (ConsumerRecord<byte[], byte[]> record : every(topic)) {
                records++;
                if (holds(record, needles)) {
                    holding.merge(topic, 1, Integer::sum);
                }
            }
        }
        return new Result(records, holding);
    }

    /** The text in UTF-8, and its standard and URL-safe Base64 wherever it starts within a longer encoded text. */
    static Set<byte[]> encodings(String secret) {
        Set<byte[]> encodings = new LinkedHashSet<>();
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        encodings.add(bytes);
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[shift + bytes.length];
            System.arraycopy(bytes, 0, shifted, shift, bytes.length);
            String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
            // Drop the characters that also encode the bytes before it, and the last, which encodes those after it.
            int from = (shift * 8 + 5) / 6;
            int to = (shifted.length * 8) / 6;
            String core = encoded.substring(from, to);
            encodings.add(core.getBytes(StandardCharsets.US_ASCII));
            encodings.add(core.replace('+', '-').replace('/', '_').getBytes(StandardCharsets.US_ASCII));
        }
        return encodings;
    }

    private List<ConsumerRecord<byte[], byte[]>> every(String topic) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
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

    private static boolean holds(ConsumerRecord<byte[], byte[]> record, List<byte[]> needles) {
        List<byte[]> parts = new ArrayList<>();
        parts.add(record.key());
        parts.add(record.value());
        for (Header header : record.headers()) {
            parts.add(header.key().getBytes(StandardCharsets.UTF_8));
            parts.add(header.value());
        }
        return parts.stream().anyMatch(part -> part != null && needles.stream().anyMatch(needle -> indexOf(part, needle) >= 0));
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
