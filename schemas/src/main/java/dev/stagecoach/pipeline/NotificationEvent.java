package dev.stagecoach.pipeline;

/** When a notification goes out; the YAML key is the lower-case name. */
public enum NotificationEvent {
    ON_START, ON_SUCCESS, ON_FAILURE, ON_APPROVAL;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
