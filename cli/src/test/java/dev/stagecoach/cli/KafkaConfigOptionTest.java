package dev.stagecoach.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConfigOptionTest {

    @TempDir
    Path dir;

    @Test
    void aClientPropertiesFileWithoutBootstrapServersIsRefusedSayingWhatItNeeds() throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), "security.protocol=SASL_SSL\n");

        EndToEnd.CliRun up = EndToEnd.cli("up", "--kafka-config", file.toString());

        assertThat(up.exitCode()).isNotZero();
        assertThat(up.output().replaceAll("\\s+", " ")).contains(file + " has no bootstrap.servers");
    }

    @Test
    void upAndDemoDescribeTheOptionInTheirHelp() {
        for (String command : new String[] {"up", "demo"}) {
            EndToEnd.CliRun help = EndToEnd.cli(command, "--help");
            // Picocli wraps the description: compare the words, not the lines.
            assertThat(help.output().replaceAll("\\s+", " ")).contains("--kafka-config=FILE")
                    .contains("(the file kafka-console-consumer --consumer.config reads)");
        }
    }
}
