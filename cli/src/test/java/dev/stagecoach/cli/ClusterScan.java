package dev.stagecoach.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

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
     * @param holding for each text looked for that showed, the topics where it did, with how many records held it
     */
    record Result(int records, Map<String, Map<String, Integer>> holding) {
    }

    /** One pass over every partition of every topic, looking for each of {@code texts}. */
    Result scan(List<String> texts) throws Exception {
        Map<String, List<byte[]>> needles = new LinkedHashMap<>();
        texts.forEach(text -> needles.put(text, List.copyOf(encodings(text))));
        Set<String> topics;
        try (Admin admin = Admin.create(kafka)) {
            topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
        }
        int records = 0;
        Map<String, Map<String, Integer>> holding = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : EndToEnd.records(kafka, topics, "read_uncommitted", new ByteArrayDeserializer())) {
            records++;
            needles.forEach((text, encodings) -> {
                if (holds(record, encodings)) {
                    holding.computeIfAbsent(text, t -> new TreeMap<>()).merge(record.topic(), 1, Integer::sum);
                }
            });
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
