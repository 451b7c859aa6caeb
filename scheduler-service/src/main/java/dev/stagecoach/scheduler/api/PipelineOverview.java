package dev.stagecoach.scheduler.api;

import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.pipeline.ParameterSpec;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.Trigger;
import dev.stagecoach.scheduler.observe.RunSummary;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A registered pipeline as lists and the dashboard show it: what starts it, when its schedule
 * fires next, how its last run went, and the parameters a person fills in to start one.
 *
 * @param nextCronFire the earliest next fire time of its cron triggers, or null when it has none
 */
public record PipelineOverview(String name, int revision, String sha256, Instant registeredAt, String description,
                               List<TriggerView> triggers, Instant nextCronFire, RunSummary lastRun,
                               List<ParameterView> parameters) {

    /** @param detail the schedule, the topic or the metric the trigger watches; empty for manual and webhook */
    public record TriggerView(String kind, String detail) {

        static TriggerView of(Trigger trigger) {
            String detail = "";
            if (trigger instanceof Trigger.Cron cron) {
                detail = cron.schedule().expression() + (cron.zone().equals(Trigger.Cron.DEFAULT_ZONE) ? "" : " " + cron.zone());
            } else if (trigger instanceof Trigger.Event event) {
                detail = event.topic();
            } else if (trigger instanceof Trigger.Conditional conditional) {
                detail = conditional.metric() + " " + conditional.comparison() + " " + conditional.threshold();
            }
            return new TriggerView(trigger.kind(), detail);
        }
    }

    public record ParameterView(String name, String type, boolean required, String defaultValue, List<String> allowed,
                                boolean secret, String description) {

        static ParameterView of(ParameterSpec spec) {
            return new ParameterView(spec.name(), spec.type().name().toLowerCase(Locale.ROOT), spec.required(),
                    spec.secret() ? null : spec.defaultValue(), spec.enumValues(), spec.secret(), spec.description());
        }
    }

    /** @param definition the registered revision, or null when it no longer loads (shown with what the registration says) */
    static PipelineOverview of(PipelineRegistered registered, PipelineDefinition definition, RunSummary lastRun, Instant now) {
        if (definition == null) {
            return new PipelineOverview(registered.getName(), registered.getRevision(), registered.getSha256(),
                    registered.getRegisteredAt(), null, List.of(), null, lastRun, List.of());
        }
        Instant nextFire = definition.triggers().stream()
                .filter(Trigger.Cron.class::isInstance).map(Trigger.Cron.class::cast)
                .map(cron -> cron.nextAfter(now)).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
        return new PipelineOverview(registered.getName(), registered.getRevision(), registered.getSha256(),
                registered.getRegisteredAt(), definition.description(),
                definition.triggers().stream().map(TriggerView::of).toList(), nextFire, lastRun,
                definition.parameters().stream().map(ParameterView::of).toList());
    }
}
