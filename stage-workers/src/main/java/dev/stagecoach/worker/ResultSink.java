package dev.stagecoach.worker;

import dev.stagecoach.events.LogBatch;
import dev.stagecoach.events.StageResult;

/** Where a worker reports what happens to an attempt. Kafka in the service, a list in unit tests. */
public interface ResultSink {

    /** Returns once the result is durably written, so a caller may ack the command after it. */
    void result(StageResult result);

    void logs(LogBatch batch);
}
