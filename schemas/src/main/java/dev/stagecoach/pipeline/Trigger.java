package dev.stagecoach.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What may start a run of a pipeline, as declared under {@code triggers}. A pipeline that
 * declares none has {@link #MANUAL} alone. The loader checks every trigger; acting on them
 * (a clock, a webhook endpoint, a topic subscription, a metric watch) is the scheduler's work.
 */
public sealed interface Trigger {

    Manual MANUAL = new Manual();

    /** The key that declares this trigger in a pipeline file: manual, cron, webhook, event or conditional. */
    String kind();

    /** A person asks: {@code stagecoach run}, the REST API, a {@code RunRequested} record. */
    record Manual() implements Trigger {
        @Override
        public String kind() {
            return "manual";
        }
    }

    /** @param zone the wall clock the schedule is read in; {@link #DEFAULT_ZONE} unless declared */
    record Cron(CronSchedule schedule, ZoneId zone) implements Trigger {

        public static final ZoneId DEFAULT_ZONE = ZoneId.of("UTC");

        @Override
        public String kind() {
            return "cron";
        }

        /** The first fire time strictly after {@code after}; see {@link CronSchedule#nextAfter}. */
        public Instant nextAfter(Instant after) {
            return schedule.nextAfter(after, zone);
        }
    }

    /**
     * A request to the pipeline's webhook.
     *
     * @param secretRef the name of the secret a caller must prove to know; the file never holds the secret itself
     * @param params run parameter name to an {@link dev.stagecoach.pipeline.expr.Interpolation} over
     *               {@code payload.<path>}, the request's JSON body, e.g. {@code ${{ payload.release.tag }}}
     */
    record Webhook(String secretRef, Map<String, String> params) implements Trigger {

        public Webhook {
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }

        @Override
        public String kind() {
            return "webhook";
        }
    }

    /**
     * A record on a Kafka topic.
     *
     * @param filter an {@link dev.stagecoach.pipeline.expr.Expression} over {@code event.<path>}, the
     *               record's JSON value; null starts a run for every record
     */
    record Event(String topic, String filter) implements Trigger {
        @Override
        public String kind() {
            return "event";
        }
    }

    /**
     * A metric that crosses a threshold and stays across it.
     *
     * @param comparison one of {@link #COMPARISONS}, read as {@code metric comparison threshold}
     * @param holdFor how long the comparison must keep holding before a run starts; zero: at once
     */
    record Conditional(String metric, String comparison, double threshold, Duration holdFor) implements Trigger {

        public static final List<String> COMPARISONS = List.of(">", ">=", "<", "<=", "==", "!=");

        public Conditional {
            if (!COMPARISONS.contains(comparison)) {
                throw new IllegalArgumentException("comparison must be one of " + String.join(" ", COMPARISONS) + ", was " + comparison);
            }
        }

        @Override
        public String kind() {
            return "conditional";
        }

        public boolean holds(double value) {
            return switch (comparison) {
                case ">" -> value > threshold;
                case ">=" -> value >= threshold;
                case "<" -> value < threshold;
                case "<=" -> value <= threshold;
                case "==" -> value == threshold;
                default -> value != threshold;
            };
        }
    }
}
