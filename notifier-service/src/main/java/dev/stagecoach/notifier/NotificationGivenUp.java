package dev.stagecoach.notifier;

/**
 * The nack reason of a notification that will not be delivered. Not an error of this
 * service, so it carries no stack trace: its message is the whole story.
 */
final class NotificationGivenUp extends RuntimeException {

    NotificationGivenUp(String reason) {
        super(reason, null, false, false);
    }
}
