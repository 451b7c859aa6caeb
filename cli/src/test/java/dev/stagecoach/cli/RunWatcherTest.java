package dev.stagecoach.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RunWatcherTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theBarShowsStagesDoneWhatRunsAndTheTimeLeft() throws Exception {
        String bar = RunWatcher.bar(JSON.readTree("""
                {"done": 3, "total": 8, "running": ["deploy", "docs"], "remainingMillis": 125000}"""));

        assertThat(bar).isEqualTo("[#########---------------] 3/8 stages · running deploy, docs · about 2 min 5 s left");
    }

    @Test
    void withoutAnEstimateTheBarSaysNothingAboutTime() throws Exception {
        String bar = RunWatcher.bar(JSON.readTree("""
                {"done": 0, "total": 2, "running": [], "remainingMillis": null}"""));

        assertThat(bar).isEqualTo("[------------------------] 0/2 stages");
    }
}
