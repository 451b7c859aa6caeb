package dev.stagecoach.worker;

import dev.stagecoach.events.LogBatch;
import dev.stagecoach.events.ResultType;
import dev.stagecoach.events.StageResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what a runner reports, for unit tests. */
final class RecordingSink implements ResultSink {

    final List<StageResult> results = new CopyOnWriteArrayList<>();
    final List<LogBatch> logs = new CopyOnWriteArrayList<>();

    @Override
    public void result(StageResult result) {
        results.add(result);
    }

    @Override
    public void logs(LogBatch batch) {
        logs.add(batch);
    }

    List<ResultType> types() {
        return results.stream().map(StageResult::getType).toList();
    }

    StageResult finished() {
        return results.stream().filter(r -> r.getType() == ResultType.FINISHED).findFirst().orElseThrow();
    }

    StageResult lastFinished() {
        return results.stream().filter(r -> r.getType() == ResultType.FINISHED).reduce((first, second) -> second).orElseThrow();
    }

    List<String> loggedLines() {
        return logs.stream().flatMap(b -> b.getLines().stream()).toList();
    }
}
