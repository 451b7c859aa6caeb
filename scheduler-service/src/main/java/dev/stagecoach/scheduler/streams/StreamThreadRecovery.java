package dev.stagecoach.scheduler.streams;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.jboss.logging.Logger;

/**
 * What happens when the engine's stream thread dies of an exception no rule could catch: a
 * broker that restarted in the middle of a transaction (InvalidTxnStateException on commit), a
 * fenced producer. Kafka Streams' default shuts the whole client down, which leaves a scheduler
 * that still answers its API but runs nothing until someone restarts it (the chaos test saw
 * it once after a broker kill). The thread is replaced instead: the new one restores its tasks
 * from the changelogs and goes on from the last commit, as a restarted scheduler would, and
 * exactly-once holds since the dead thread's transaction is aborted. The Quarkus extension
 * hands this bean to Kafka Streams before it starts.
 */
@ApplicationScoped
@Unremovable
public class StreamThreadRecovery implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = Logger.getLogger(StreamThreadRecovery.class);

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        LOG.errorf(exception, "the engine's stream thread died; replacing it (it restores its runs from the changelogs and goes on from the last commit)");
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
