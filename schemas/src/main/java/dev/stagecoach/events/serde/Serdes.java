package dev.stagecoach.events.serde;

import dev.stagecoach.events.AuditEntry;
import dev.stagecoach.events.Control;
import dev.stagecoach.events.LogBatch;
import dev.stagecoach.events.MetricSample;
import dev.stagecoach.events.Notification;
import dev.stagecoach.events.NotificationDelivered;
import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.events.RunEvent;
import dev.stagecoach.events.RunRequested;
import dev.stagecoach.events.RunSnapshot;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.StageResult;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;

/**
 * The serde of every value type a topic carries. Each event has a no-argument Serde class here,
 * for configuration that names a class
 * ({@code value.deserializer=dev.stagecoach.events.serde.Serdes$StageCommandSerde}); code asks
 * {@link #of(Class)}, usually through its {@link dev.stagecoach.events.Topic}, and gets an
 * instance of the same class, so that configured and hand-built clients write the same bytes.
 */
public final class Serdes {

    private static final Map<Class<?>, Supplier<Serde<?>>> BY_TYPE = Map.ofEntries(
            Map.entry(RunRequested.class, RunRequestedSerde::new),
            Map.entry(StageCommand.class, StageCommandSerde::new),
            Map.entry(StageResult.class, StageResultSerde::new),
            Map.entry(RunEvent.class, RunEventSerde::new),
            Map.entry(RunSnapshot.class, RunSnapshotSerde::new),
            Map.entry(Notification.class, NotificationSerde::new),
            Map.entry(NotificationDelivered.class, NotificationDeliveredSerde::new),
            Map.entry(Control.class, ControlSerde::new),
            Map.entry(PipelineRegistered.class, PipelineRegisteredSerde::new),
            Map.entry(LogBatch.class, LogBatchSerde::new),
            Map.entry(MetricSample.class, MetricSampleSerde::new),
            Map.entry(AuditEntry.class, AuditEntrySerde::new),
            // The dead-letter topic keeps the original bytes of whatever could not be read.
            Map.entry(byte[].class, org.apache.kafka.common.serialization.Serdes.ByteArraySerde::new));

    // One instance per type: a serde holds nothing but its schemas (the Avro encoder and decoder
    // are thread-safe), and building one parses every released schema of its type.
    private static final Map<Class<?>, Serde<?>> SHARED = new ConcurrentHashMap<>();

    private Serdes() {
    }

    /** Whether {@link #of(Class)} has a serde for values of this type. */
    public static boolean known(Class<?> type) {
        return BY_TYPE.containsKey(type);
    }

    /** @throws IllegalArgumentException when no topic carries values of this type */
    @SuppressWarnings("unchecked")
    public static <V> Serde<V> of(Class<V> type) {
        Supplier<Serde<?>> serde = BY_TYPE.get(type);
        if (serde == null) {
            throw new IllegalArgumentException("no serde for values of type " + type.getName()
                    + "; a topic carries one of the events of EventTypes.ALL, or bytes");
        }
        return (Serde<V>) SHARED.computeIfAbsent(type, t -> serde.get());
    }

    public static final class RunRequestedSerde extends AvroSerde<RunRequested> {
        public RunRequestedSerde() {
            super(RunRequested.class);
        }
    }

    public static final class StageCommandSerde extends AvroSerde<StageCommand> {
        public StageCommandSerde() {
            super(StageCommand.class);
        }
    }

    public static final class StageResultSerde extends AvroSerde<StageResult> {
        public StageResultSerde() {
            super(StageResult.class);
        }
    }

    public static final class RunEventSerde extends AvroSerde<RunEvent> {
        public RunEventSerde() {
            super(RunEvent.class);
        }
    }

    public static final class RunSnapshotSerde extends AvroSerde<RunSnapshot> {
        public RunSnapshotSerde() {
            super(RunSnapshot.class);
        }
    }

    public static final class NotificationSerde extends AvroSerde<Notification> {
        public NotificationSerde() {
            super(Notification.class);
        }
    }

    public static final class NotificationDeliveredSerde extends AvroSerde<NotificationDelivered> {
        public NotificationDeliveredSerde() {
            super(NotificationDelivered.class);
        }
    }

    public static final class ControlSerde extends AvroSerde<Control> {
        public ControlSerde() {
            super(Control.class);
        }
    }

    public static final class PipelineRegisteredSerde extends AvroSerde<PipelineRegistered> {
        public PipelineRegisteredSerde() {
            super(PipelineRegistered.class);
        }
    }

    public static final class LogBatchSerde extends AvroSerde<LogBatch> {
        public LogBatchSerde() {
            super(LogBatch.class);
        }
    }

    public static final class MetricSampleSerde extends AvroSerde<MetricSample> {
        public MetricSampleSerde() {
            super(MetricSample.class);
        }
    }

    public static final class AuditEntrySerde extends AvroSerde<AuditEntry> {
        public AuditEntrySerde() {
            super(AuditEntry.class);
        }
    }
}
