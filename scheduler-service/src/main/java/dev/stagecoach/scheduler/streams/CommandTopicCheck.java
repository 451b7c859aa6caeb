package dev.stagecoach.scheduler.streams;

/**
 * Whether a worker pool's commands topic exists. A record sent to a topic that does not exist
 * fails the whole transaction, and with it the stream thread: the engine must never send one.
 */
@FunctionalInterface
public interface CommandTopicCheck {

    /** For tests and brokers that create topics on first use. */
    CommandTopicCheck ANY = topic -> true;

    boolean exists(String topic);
}
