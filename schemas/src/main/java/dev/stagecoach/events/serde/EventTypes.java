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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** Every event type that travels on a topic, and the schemas of its released versions. */
public final class EventTypes {

    public static final List<Class<? extends SpecificRecord>> ALL = List.of(
            RunRequested.class, StageCommand.class, StageResult.class, RunEvent.class, RunSnapshot.class,
            Notification.class, NotificationDelivered.class, Control.class, PipelineRegistered.class, LogBatch.class, MetricSample.class,
            AuditEntry.class);

    private static final String RELEASED = "/dev/stagecoach/events/released/";

    private EventTypes() {
    }

    public static Schema schemaOf(Class<? extends SpecificRecord> type) {
        return SpecificData.get().getSchema(type);
    }

    /** Released versions, oldest first, as listed in released/versions.txt. */
    public static List<String> releasedVersions() {
        String index = read(RELEASED + "versions.txt");
        return index == null ? List.of()
                : index.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** The schema of {@code type} in each released version that had it: readers resolve old writers against these. */
    public static List<Schema> releasedSchemas(Class<? extends SpecificRecord> type) {
        List<Schema> schemas = new ArrayList<>();
        for (String version : releasedVersions()) {
            String text = read(RELEASED + version + "/" + type.getSimpleName() + ".avsc");
            if (text != null) {
                schemas.add(new Schema.Parser().parse(text));
            }
        }
        return schemas;
    }

    private static String read(String resource) {
        try (InputStream in = EventTypes.class.getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
