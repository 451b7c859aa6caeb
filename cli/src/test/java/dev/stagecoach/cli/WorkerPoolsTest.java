package dev.stagecoach.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerPoolsTest {

    @Test
    void withoutTheOptionTheStackHasOneDefaultWorker() {
        assertThat(WorkerPools.parse(null).poolByWorker()).containsExactly(Map.entry("stage-workers", "default"));
    }

    @Test
    void eachPoolGetsItsCountOfWorkersWithDistinctNames() {
        assertThat(WorkerPools.parse("default=2, gpu=1").poolByWorker()).containsExactly(
                Map.entry("stage-workers", "default"), Map.entry("worker-default-2", "default"), Map.entry("worker-gpu-1", "gpu"));
    }

    @Test
    void poolsNotNamedKeepTheirCountAndDefaultCanBeTurnedOff() {
        assertThat(WorkerPools.parse("gpu=2").counts()).containsExactly(Map.entry("default", 1), Map.entry("gpu", 2));
        assertThat(WorkerPools.parse("default=0,gpu=1").poolByWorker()).containsOnlyKeys("worker-gpu-1");
    }

    @Test
    void entryThatIsNoPoolAndCountIsNamed() {
        assertThatThrownBy(() -> WorkerPools.parse("default=2,gpu=x"))
                .hasMessageStartingWith("--workers: \"gpu=x\" is not <pool>=<count>");
        assertThatThrownBy(() -> WorkerPools.parse("big gpu=1")).hasMessageStartingWith("--workers: \"big gpu=1\" is not <pool>=<count>");
        assertThatThrownBy(() -> WorkerPools.parse("gpu=500")).hasMessageContaining("at most 32 per pool");
    }

    @Test
    void upRefusesAMalformedOptionBeforeItStartsAnything() {
        EndToEnd.CliRun up = EndToEnd.cli("up", "--workers", "gpu=x");

        assertThat(up.exitCode()).isEqualTo(Stagecoach.BAD_INPUT);
        assertThat(up.output()).contains("error: --workers: \"gpu=x\" is not <pool>=<count>");
    }

    @Test
    void helpOfUpAndDemoExplainsTheOption() {
        for (String command : new String[] {"up", "demo"}) {
            EndToEnd.CliRun help = EndToEnd.cli(command, "--help");

            assertThat(help.exitCode()).isZero();
            assertThat(help.output()).contains("--workers=POOL=COUNT[,POOL=COUNT...]", "default=2,gpu=1");
        }
    }
}
