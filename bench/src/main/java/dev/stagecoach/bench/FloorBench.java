package dev.stagecoach.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka's own round trip on the bench's broker, one record at a time: the floor under every
 * hand-off. Three shapes: a plain acks=all hop (a worker reporting a result), a transactional
 * hop committed per record and read with read_committed (the engine dispatching a command),
 * and the two chained, which is the least a hand-off can cost with zero processing.
 */
final class FloorBench {

    record Floor(Samples plain, Samples transactional, Samples chained) {
    }

    private static final String PLAIN = "bench.floor.plain";
    private static final String TX = "bench.floor.tx";
    private static final String CHAIN_IN = "bench.floor.chain-in";
    private static final String CHAIN_OUT = "bench.floor.chain-out";
    private static final Duration ARRIVES_WITHIN = Duration.ofSeconds(10);
    private static final byte[] PAYLOAD = new byte[200];

    private final BenchKafka kafka;
    private final int fetchMaxWaitMs;

    /** @param fetchMaxWaitMs of the consumers; the services' consumers have 10 */
    FloorBench(BenchKafka kafka, int fetchMaxWaitMs) {
        this.kafka = kafka;
        this.fetchMaxWaitMs = fetchMaxWaitMs;
    }

    Floor measure(int warmup, int samples) {
        kafka.createTopics(1, PLAIN, TX, CHAIN_IN, CHAIN_OUT);
        Map<String, Object> txConfig = kafka.producerConfig();
        txConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-floor");
        try (KafkaProducer<String, byte[]> plain = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(), new ByteArraySerializer());
             KafkaProducer<String, byte[]> tx = new KafkaProducer<>(txConfig, new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, byte[]> plainIn = consumer(PLAIN, false);
             KafkaConsumer<String, byte[]> txIn = consumer(TX, true);
             KafkaConsumer<String, byte[]> chainIn = consumer(CHAIN_IN, false);
             KafkaConsumer<String, byte[]> chainOut = consumer(CHAIN_OUT, true)) {
            tx.initTransactions();
            Samples plainSamples = run(warmup, samples, key -> {
                plain.send(new ProducerRecord<>(PLAIN, key, PAYLOAD));
                await(plainIn, key);
            });
            Samples txSamples = run(warmup, samples, key -> {
                send(tx, TX, key);
                await(txIn, key);
            });
            Samples chainSamples = run(warmup, samples, key -> {
                plain.send(new ProducerRecord<>(CHAIN_IN, key, PAYLOAD));
                await(chainIn, key);
                send(tx, CHAIN_OUT, key);
                await(chainOut, key);
            });
            return new Floor(plainSamples, txSamples, chainSamples);
        }
    }

    private interface RoundTrip {
        void run(String key);
    }

    private static Samples run(int warmup, int count, RoundTrip roundTrip) {
        Samples samples = new Samples();
        for (int i = 0; i < warmup + count; i++) {
            long started = System.nanoTime();
            roundTrip.run(Integer.toString(i));
            if (i >= warmup) {
                samples.add((System.nanoTime() - started) / 1e6);
            }
        }
        return samples;
    }

    private static void send(KafkaProducer<String, byte[]> tx, String topic, String key) {
        tx.beginTransaction();
        tx.send(new ProducerRecord<>(topic, key, PAYLOAD));
        tx.commitTransaction();
    }

    private static void await(KafkaConsumer<String, byte[]> consumer, String key) {
        long giveUp = System.nanoTime() + ARRIVES_WITHIN.toNanos();
        while (System.nanoTime() < giveUp) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                if (record.key().equals(key)) {
                    return;
                }
            }
        }
        throw new IllegalStateException("record " + key + " did not come back within " + ARRIVES_WITHIN.toSeconds() + " s");
    }

    private KafkaConsumer<String, byte[]> consumer(String topic, boolean readCommitted) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumerConfig(readCommitted, fetchMaxWaitMs), new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        BenchKafka.assignAtEnd(consumer, List.of(new TopicPartition(topic, 0)));
        return consumer;
    }
}
