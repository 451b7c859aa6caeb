package dev.stagecoach.pipeline;

/**
 * Where a notification goes.
 *
 * @param target a URL for webhook, an address for email, a channel for Slack, a severity for PagerDuty
 */
public record NotificationTarget(Channel channel, String target) {

    public enum Channel { WEBHOOK, EMAIL, SLACK, PAGERDUTY }
}
