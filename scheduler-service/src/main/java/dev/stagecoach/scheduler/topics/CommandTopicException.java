package dev.stagecoach.scheduler.topics;

/** A commands topic could not be created; the message names the topic and the broker's reason. */
public final class CommandTopicException extends RuntimeException {

    private final String topic;
    private final boolean invalidName;

    CommandTopicException(String topic, String reason, boolean invalidName, Throwable cause) {
        super("cannot create topic " + topic + ": " + reason, cause);
        this.topic = topic;
        this.invalidName = invalidName;
    }

    public String topic() {
        return topic;
    }

    /** The pool's name makes no valid topic name: the pipeline is at fault, not the cluster. */
    public boolean invalidName() {
        return invalidName;
    }
}
