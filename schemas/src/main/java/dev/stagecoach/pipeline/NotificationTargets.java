package dev.stagecoach.pipeline;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a notification target may say, per channel: the loader checks it, and the notifier
 * reads it with the same rules. A target may name a secret ({@code ${{ secrets.NAME }}}) that
 * the notifier resolves from its own environment, so that the value never travels on Kafka.
 */
public final class NotificationTargets {

    /** PagerDuty Events API v2 severities, most severe first. */
    public static final List<String> SEVERITIES = List.of("critical", "error", "warning", "info");

    private static final String SECRET_REFERENCE = "\\$\\{\\{\\s*secrets\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}";
    private static final Pattern SECRET = Pattern.compile(SECRET_REFERENCE);
    private static final Pattern PAGERDUTY = Pattern.compile("(\\S+)(?:\\s+" + SECRET_REFERENCE + ")?");
    // Deliberately plain: one address, a dot in the domain; the SMTP server has the last word.
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");
    private static final Pattern SLACK_CHANNEL_NAME = Pattern.compile("#[a-z0-9][a-z0-9._-]{0,79}");
    private static final Pattern SLACK_CHANNEL_ID = Pattern.compile("[CGD][A-Z0-9]{8,}");

    private NotificationTargets() {
    }

    /** A PagerDuty target: the severity, and the secret that holds the routing key when not the notifier's default. */
    public record PagerDutyTarget(String severity, Optional<String> routingKeySecret) {
    }

    /** The secret a whole target names, e.g. {@code DEPLOYS_SLACK_WEBHOOK} for {@code ${{ secrets.DEPLOYS_SLACK_WEBHOOK }}}. */
    public static Optional<String> secretName(String target) {
        Matcher matcher = SECRET.matcher(target.trim());
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    public static Optional<PagerDutyTarget> pagerDuty(String target) {
        Matcher matcher = PAGERDUTY.matcher(target.trim());
        if (!matcher.matches() || !SEVERITIES.contains(matcher.group(1))) {
            return Optional.empty();
        }
        return Optional.of(new PagerDutyTarget(matcher.group(1), Optional.ofNullable(matcher.group(2))));
    }

    public static boolean isEmailAddress(String target) {
        return EMAIL.matcher(target).matches();
    }

    public static boolean isSlackChannel(String target) {
        return SLACK_CHANNEL_NAME.matcher(target).matches() || SLACK_CHANNEL_ID.matcher(target).matches();
    }

    /** What is wrong with a target, in words that say what would be right; empty when nothing is. */
    static Optional<String> problem(NotificationTarget.Channel channel, String target) {
        String quoted = "\"" + target + "\"";
        return switch (channel) {
            case WEBHOOK -> Optional.empty();
            case EMAIL -> isEmailAddress(target) ? Optional.empty()
                    : Optional.of(quoted + " is not an email address; write one address, e.g. oncall@example.com");
            case SLACK -> isSlackChannel(target) || secretName(target).isPresent() ? Optional.empty()
                    : Optional.of(quoted + " is not a Slack channel; write a channel name with its #, quoted"
                            + slackHint(target) + ", a channel id such as C0123ABCD, or the secret that holds an"
                            + " incoming-webhook URL: \"${{ secrets.DEPLOYS_SLACK_WEBHOOK }}\"");
            case PAGERDUTY -> pagerDuty(target).isPresent() ? Optional.empty()
                    : Optional.of(quoted + " is not a PagerDuty severity" + severityHint(target) + "; write one of "
                            + String.join(", ", SEVERITIES) + ", optionally followed by the secret that holds the service's"
                            + " routing key: critical ${{ secrets.PAYMENTS_PAGERDUTY_KEY }}");
        };
    }

    private static String slackHint(String target) {
        String name = target.startsWith("#") ? target.substring(1) : target;
        String lower = name.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
        return SLACK_CHANNEL_NAME.matcher("#" + lower).matches() ? " (\"#" + lower + "\")" : " (\"#deployments\")";
    }

    private static String severityHint(String target) {
        String first = target.trim().split("\\s+", 2)[0];
        return Suggestions.didYouMean(first, SEVERITIES);
    }
}
