package dev.stagecoach.scheduler.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stagecoach.scheduler.engine.StageState;
import dev.stagecoach.scheduler.engine.StageStatus;
import java.util.List;

/**
 * Reads a stage written by schedulers before the state grouped its fields (one flat object of
 * 21 fields, where {@code deadline} meant the start deadline, the result deadline or the approval
 * timeout depending on the status) into the grouped form: attempt, approval state, result. A
 * scheduler upgraded in place then carries on with the runs its changelog holds.
 */
final class FlatStageForm {

    private static final List<String> ATTEMPT = List.of("attemptId", "worker", "dispatchedAt", "startedAt", "deadline",
            "heartbeatDeadline");
    private static final List<String> RESULT = List.of("finishedAt", "durationMillis", "exitCode", "error", "outputTail",
            "metrics", "outputs", "artifacts");

    private FlatStageForm() {
    }

    /**
     * Whether {@code stage}, read as grouped, was written flat: a stage that left PENDING has an
     * attempt, a result or an approval state, so one with none of them lost its fields in the
     * reading. Checked after the fast reading, so that only states written flat pay for the upgrade.
     */
    static boolean lostItsFields(StageState stage) {
        return stage.status() != StageStatus.PENDING && stage.attempt() == null && stage.result() == null
                && stage.approvalState() == null;
    }

    /** Upgrades every flat stage of a run's JSON in place; grouped stages are left as they are. */
    static void upgradeStages(JsonNode run) {
        JsonNode stages = run.get("stages");
        if (stages == null || !stages.isObject()) {
            return;
        }
        stages.forEach(stage -> {
            if (stage instanceof ObjectNode flat && isFlat(flat)) {
                upgrade(flat);
            }
        });
    }

    private static boolean isFlat(ObjectNode stage) {
        return !stage.has("attempt") && !stage.has("result") && !stage.has("approvalState")
                && (ATTEMPT.stream().anyMatch(stage::has) || RESULT.stream().anyMatch(stage::has) || stage.has("awaitingSince"));
    }

    private static void upgrade(ObjectNode stage) {
        String status = stage.path("status").asText();
        JsonNode deadline = stage.get("deadline");
        if (stage.has("attemptId")) {
            ObjectNode attempt = JsonNodeFactory.instance.objectNode();
            move(stage, "attemptId", attempt, "id");
            move(stage, "worker", attempt, "worker");
            move(stage, "dispatchedAt", attempt, "dispatchedAt");
            move(stage, "startedAt", attempt, "startedAt");
            move(stage, "heartbeatDeadline", attempt, "heartbeatBy");
            if (deadline != null && status.equals("DISPATCHED")) {
                attempt.set("startBy", deadline);
            } else if (deadline != null && status.equals("RUNNING")) {
                attempt.set("resultBy", deadline);
            }
            stage.set("attempt", attempt);
        }
        if (stage.has("awaitingSince")) {
            ObjectNode approval = JsonNodeFactory.instance.objectNode();
            move(stage, "awaitingSince", approval, "since");
            move(stage, "approval", approval, "decision");
            if (deadline != null && status.equals("AWAITING_APPROVAL")) {
                approval.set("timesOutAt", deadline);
            }
            stage.set("approvalState", approval);
        }
        if (RESULT.stream().anyMatch(stage::has)) {
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            RESULT.forEach(field -> move(stage, field, result, field));
            stage.set("result", result);
        }
        stage.remove(List.of("deadline", "attemptId", "worker", "dispatchedAt", "startedAt", "heartbeatDeadline",
                "awaitingSince", "approval"));
    }

    private static void move(ObjectNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.remove(field);
        if (value != null && !value.isNull()) {
            to.set(as, value);
        }
    }
}
