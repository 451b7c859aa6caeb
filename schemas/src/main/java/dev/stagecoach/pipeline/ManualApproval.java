package dev.stagecoach.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * A stage that waits for a person before it runs.
 *
 * @param approvers who may approve or reject; empty means any operator
 * @param timeout how long to wait before the stage counts as rejected, or null to wait as long as the run may
 */
public record ManualApproval(List<String> approvers, Duration timeout) {

    public ManualApproval {
        approvers = List.copyOf(approvers);
    }

    public boolean allows(String who) {
        return approvers.isEmpty() || approvers.contains(who);
    }
}
