package dev.stagecoach.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerMainTest {

    @Test
    void writesItsPortFileAnswersAndCleansUpOnKill(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("data");
        Path portFile = dir.resolve("run/kafka.port");
        Path output = dir.resolve("broker.log");
        Process broker = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                KafkaBrokerMain.class.getName(),
                "--data-dir", dataDir.toString(),
                "--port-file", portFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            long started = System.nanoTime();
            await().atMost(Duration.ofSeconds(90))
                    .failFast("broker process exited", () -> !broker.isAlive())
                    .until(() -> Files.exists(portFile));
            System.out.printf("Kafka broker process wrote its port file after %.1f s%n",
                    (System.nanoTime() - started) / 1e9);

            String bootstrapServers = Files.readString(portFile);
            assertTrue(bootstrapServers.matches("127\\.0\\.0\\.1:\\d+"), bootstrapServers);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
                assertEquals(1, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
            }
            assertTrue(Files.readString(output).contains("Kafka broker ready at " + bootstrapServers),
                    "the one log line names the address");

            broker.destroy();
            assertTrue(broker.waitFor(60, TimeUnit.SECONDS), "broker stops on SIGTERM");
            assertFalse(Files.exists(portFile), "a graceful stop removes the port file");
        } finally {
            broker.destroyForcibly();
        }
    }
}
