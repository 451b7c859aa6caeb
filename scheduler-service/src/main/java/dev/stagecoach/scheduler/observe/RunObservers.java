package dev.stagecoach.scheduler.observe;

import dev.stagecoach.events.Topics;
import dev.stagecoach.scheduler.KafkaClients;
import dev.stagecoach.scheduler.StagecoachConfig;
import dev.stagecoach.scheduler.api.EventPublisher;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the scheduler sees of every run besides the engine's own state: the catalog of runs
 * (from the runs topic), the stages' output (from the logs topic), the live run events and the
 * newest audit entries (from the audit topic).
 * Every instance reads all of it, so any instance answers lists and streams.
 */
@ApplicationScoped
public class RunObservers {

    @Inject
    StagecoachConfig config;
    @Inject
    EventPublisher publisher;
    @Inject
    KafkaClients kafka;

    private final Subscribers<RunEventView> events = new Subscribers<>();
    private LogArchive logs;
    private RunCatalog catalog;
    private AuditLog audit;
    private List<TopicTail<?>> tails = List.of();

    @PostConstruct
    void create() {
        logs = new LogArchive(config.logs().linesPerAttempt());
        catalog = new RunCatalog(logs::forget);
        audit = new AuditLog(config.audit().entriesKept());
    }

    void start(@Observes StartupEvent event) {
        Topics topics = config.topics();
        // Every kafka.* setting (TLS, SASL), as the scheduler's other clients have them; each reader sets its own client id.
        Map<String, Object> client = kafka.settings("scheduler-observers");
        String deadLetters = topics.deadLetters().name();
        tails = List.of(
                new TopicTail<>("scheduler-run-catalog", topics.runs(), true, client, catalog::read, deadLetters, publisher::send),
                new TopicTail<>("scheduler-logs", topics.logs(), true, client, (key, batch) -> {
                    if (batch != null) {
                        logs.read(batch);
                    }
                }, deadLetters, publisher::send),
                new TopicTail<>("scheduler-run-events", topics.runEvents(), false, client, (key, runEvent) -> {
                    if (runEvent != null) {
                        events.publish(RunEventView.of(runEvent));
                    }
                }, deadLetters, publisher::send),
                new TopicTail<>("scheduler-audit", topics.audit(), true, client, (pipeline, entry) -> audit.read(entry),
                        deadLetters, publisher::send));
        tails.forEach(TopicTail::start);
    }

    void stop(@Observes ShutdownEvent event) {
        tails.forEach(TopicTail::stop);
    }

    public RunCatalog catalog() {
        return catalog;
    }

    public AuditLog audit() {
        return audit;
    }

    public LogArchive logs() {
        return logs;
    }

    /** Run events from now on, those {@code wants} accepts; the stream ends after one {@code last} accepts. */
    public Multi<RunEventView> events(Predicate<RunEventView> wants, Predicate<RunEventView> last) {
        return events.stream(wants, last);
    }
}
