package dev.stagecoach.events.serde;

import dev.stagecoach.events.Control;
import dev.stagecoach.events.LogBatch;
import dev.stagecoach.events.MetricSample;
import dev.stagecoach.events.Notification;
import dev.stagecoach.events.PipelineRegistered;
import dev.stagecoach.events.RunEvent;
import dev.stagecoach.events.RunRequested;
import dev.stagecoach.events.RunSnapshot;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.events.StageResult;

/**
 * No-argument Serde classes, one per event, for configuration that names a class
 * ({@code value.deserializer=dev.stagecoach.events.serde.Serdes$StageCommandSerde}).
 */
public final class Serdes {

    private Serdes() {
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
}
