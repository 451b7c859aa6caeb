package dev.stagecoach.scheduler.streams;

import dev.stagecoach.events.DeadLetters;
import dev.stagecoach.events.MetricSample;
import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.events.RunRequested;
import dev.stagecoach.events.Topic;
import dev.stagecoach.events.TriggerType;
import dev.stagecoach.pipeline.Trigger;
import dev.stagecoach.scheduler.pipelines.PipelineRevisions;
import dev.stagecoach.scheduler.triggers.ConditionWatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Watches metric samples for the conditional triggers of the registered pipelines: loads what
 * each trigger on the sample's metric remembers, lets {@link ConditionWatch} judge the sample,
 * stores the answer and requests a run when it fires. Inside the engine's topology, so that
 * what a trigger remembers, the run request and the sample's offset commit together: a
 * restart neither forgets that a condition already fired nor fires it twice. A record that
 * is no MetricSample goes to the dead-letter topic.
 */
final class ConditionalTriggerProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger LOG = Logger.getLogger(ConditionalTriggerProcessor.class);
    private static final String CONSUMER_NAME = "scheduler-conditional-triggers";

    private final String sourceTopic;
    private final PipelineChanges pipelineChanges;
    private final Deserializer<MetricSample> samples;
    private final Definitions definitions;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, PipelineRegistered> pipelines;
    private KeyValueStore<String, String> watches;
    private Map<String, List<Watched>> byMetric = Map.of();
    private long indexedAt = -1;

    private record Watched(String pipeline, Trigger.Conditional trigger, String key) {
    }

    ConditionalTriggerProcessor(Topic<MetricSample> source, PipelineChanges pipelineChanges, PipelineRevisions revisions) {
        this.sourceTopic = source.name();
        this.samples = source.valueSerde().deserializer();
        this.pipelineChanges = pipelineChanges;
        this.definitions = new Definitions(revisions);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.pipelines = context.getStateStore(RunEngineTopology.PIPELINES_STORE);
        this.watches = context.getStateStore(RunEngineTopology.WATCHES_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        MetricSample sample;
        try {
            if (record.value() == null) {
                throw new IllegalArgumentException("the record has no value");
            }
            sample = samples.deserialize(sourceTopic, record.value());
        } catch (RuntimeException e) {
            deadLetter(record, "record value is not readable as a MetricSample: " + DeadLetters.describe(e));
            return;
        }
        Map<String, ConditionWatch.Holding> before = remembered(sample.getMetric());
        Set<String> current = new HashSet<>();
        for (Watched watched : watching(sample.getMetric())) {
            current.add(watched.key());
            ConditionWatch.Step step = ConditionWatch.observe(watched.trigger(), before.get(watched.key()), sample.getValue(), sample.getAt());
            if (step.holding() == null) {
                watches.delete(watched.key());
            } else {
                watches.put(watched.key(), encode(step.holding()));
            }
            if (step.fire()) {
                requestRun(watched, sample);
            }
        }
        // A trigger removed or changed since the last sample forgets what it held.
        before.keySet().stream().filter(key -> !current.contains(key)).forEach(watches::delete);
    }

    private List<Watched> watching(String metric) {
        long changes = pipelineChanges.current();
        if (changes != indexedAt) {
            byMetric = index();
            indexedAt = changes;
        }
        return byMetric.getOrDefault(metric, List.of());
    }

    /** The conditional triggers of every registered pipeline, by the metric they watch. */
    private Map<String, List<Watched>> index() {
        Map<String, List<Watched>> index = new HashMap<>();
        try (var all = pipelines.all()) {
            all.forEachRemaining(entry -> {
                PipelineRegistered pipeline = entry.value;
                try {
                    definitions.of(pipeline.getName(), pipeline.getRevision(), pipeline.getYaml()).triggers().stream()
                            .filter(Trigger.Conditional.class::isInstance).map(Trigger.Conditional.class::cast)
                            .forEach(c -> index.computeIfAbsent(c.metric(), m -> new ArrayList<>())
                                    .add(new Watched(pipeline.getName(), c, storeKey(pipeline.getName(), c))));
                } catch (RuntimeException e) {
                    LOG.warnf("pipeline %s revision %d does not load; its conditional triggers are ignored: %s",
                            pipeline.getName(), pipeline.getRevision(), e.getMessage());
                }
            });
        }
        return index;
    }

    private void requestRun(Watched watched, MetricSample sample) {
        String runId = ConditionWatch.runId(watched.pipeline(), watched.trigger(), sample.getAt());
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        RunRequested request = RunRequested.newBuilder()
                .setRunId(runId)
                .setPipeline(watched.pipeline())
                .setTrigger(TriggerType.CONDITIONAL)
                .setRequestedBy(ConditionWatch.requestedBy(watched.trigger()))
                .setRequestedAt(now)
                .build();
        context.forward(new Record<>(runId, request, now.toEpochMilli()), RunEngineTopology.RUN_REQUESTS_SINK);
        LOG.infof("run=%s pipeline=%s requested by %s (sample %s at %s)", runId, watched.pipeline(), request.getRequestedBy(),
                sample.getValue(), sample.getAt());
    }

    private void deadLetter(Record<String, byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetters.addTo(headers, reason, sourceTopic, CONSUMER_NAME);
        context.forward(new Record<String, Object>(record.key(), record.value(), record.timestamp(), headers), RunEngineTopology.DEAD_LETTERS_SINK);
        LOG.warnf("unreadable metric sample dead-lettered key=%s reason=\"%s\"", record.key(), reason);
    }

    private Map<String, ConditionWatch.Holding> remembered(String metric) {
        Map<String, ConditionWatch.Holding> remembered = new HashMap<>();
        try (var held = watches.prefixScan(metric + "\n", new StringSerializer())) {
            held.forEachRemaining(entry -> remembered.put(entry.key, decode(entry.value)));
        }
        return remembered;
    }

    private static String storeKey(String pipeline, Trigger.Conditional trigger) {
        return trigger.metric() + "\n" + pipeline + "\n" + ConditionWatch.key(trigger);
    }

    private static String encode(ConditionWatch.Holding holding) {
        return holding.holdingSince().toEpochMilli() + (holding.fired() ? " fired" : " holding");
    }

    private static ConditionWatch.Holding decode(String text) {
        int space = text.indexOf(' ');
        return new ConditionWatch.Holding(Instant.ofEpochMilli(Long.parseLong(text.substring(0, space))), text.endsWith("fired"));
    }
}
