package dev.stagecoach.scheduler.streams;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.stagecoach.scheduler.engine.RunState;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The engine's run state in the state store and its changelog. JSON keeps the engine free
 * of Avro; unknown properties are ignored so that a newer scheduler can add fields. A run
 * is written on every change it goes through, so the form is the compact one: no null
 * fields, instants as epoch milliseconds (ISO text written by earlier versions still reads, and
 * so do stages written flat, before they were grouped: {@link FlatStageForm}).
 */
public final class RunStateSerde implements Serde<RunState> {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .disable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Override
    public Serializer<RunState> serializer() {
        return (topic, state) -> {
            try {
                return state == null ? null : JSON.writeValueAsBytes(state);
            } catch (IOException e) {
                throw new SerializationException("cannot write the state of run " + state.runId(), e);
            }
        };
    }

    @Override
    public Deserializer<RunState> deserializer() {
        return (topic, bytes) -> {
            try {
                if (bytes == null) {
                    return null;
                }
                RunState state = JSON.readValue(bytes, RunState.class);
                if (state.stageList().stream().noneMatch(FlatStageForm::lostItsFields)) {
                    return state;
                }
                JsonNode run = JSON.readTree(bytes);
                FlatStageForm.upgradeStages(run);
                return JSON.treeToValue(run, RunState.class);
            } catch (IOException e) {
                throw new SerializationException("cannot read a run state: " + e.getMessage(), e);
            }
        };
    }
}
