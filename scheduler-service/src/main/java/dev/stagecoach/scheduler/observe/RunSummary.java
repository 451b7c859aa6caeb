package dev.stagecoach.scheduler.observe;

import dev.stagecoach.events.RunSnapshot;
import dev.stagecoach.events.StageSnapshot;
import dev.stagecoach.pipeline.ShardExpansion;
import dev.stagecoach.scheduler.engine.StageStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run as lists show it, from its last snapshot on the runs topic.
 *
 * @param stagesDone stages that ended (succeeded, failed, skipped or cancelled)
 * @param running the stages dispatched or running now
 * @param succeededIn how long each stage that succeeded took, by stage (shards under their stage's name, the longest)
 */
public record RunSummary(String runId, String pipeline, int revision, String status, String trigger, String requestedBy,
                         Instant createdAt, Instant finishedAt, String reason, int stagesDone, int stagesTotal,
                         List<String> running, Map<String, Long> succeededIn) {

    static RunSummary of(RunSnapshot snapshot) {
        int done = 0;
        List<String> running = new java.util.ArrayList<>();
        Map<String, Long> succeededIn = new LinkedHashMap<>();
        for (StageSnapshot stage : snapshot.getStages()) {
            StageStatus status = StageStatus.valueOf(stage.getStatus());
            if (status.isTerminal()) {
                done++;
            } else if (status.isInFlight()) {
                running.add(stage.getName());
            }
            if (status == StageStatus.SUCCEEDED && stage.getStartedAt() != null && stage.getFinishedAt() != null) {
                long took = stage.getFinishedAt().toEpochMilli() - stage.getStartedAt().toEpochMilli();
                succeededIn.merge(ShardExpansion.stageOf(stage.getName()), took, Math::max);
            }
        }
        return new RunSummary(snapshot.getRunId(), snapshot.getPipeline(), snapshot.getPipelineRevision(), snapshot.getStatus(),
                snapshot.getTrigger(), snapshot.getRequestedBy(), snapshot.getCreatedAt(), snapshot.getFinishedAt(),
                snapshot.getReason(), done, snapshot.getStages().size(), List.copyOf(running), Map.copyOf(succeededIn));
    }

    public boolean ended() {
        return !"RUNNING".equals(status);
    }
}
