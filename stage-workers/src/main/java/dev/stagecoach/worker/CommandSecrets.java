package dev.stagecoach.worker;

import dev.stagecoach.events.SecretTextPart;
import dev.stagecoach.events.SecretTextPartKind;
import dev.stagecoach.events.StageCommand;
import dev.stagecoach.secrets.SealedParameters;
import dev.stagecoach.secrets.SealedParameters.UnopenableException;
import dev.stagecoach.secrets.SecretKeyRing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts together, in this worker's memory only, the values of a command that hold secrets: reads
 * each {@code secrets.<NAME>} from the worker's own secrets and opens each sealed parameter with
 * the deployment's key. The command that comes out carries them in {@code env} and
 * {@code inputs}, and lists them in {@code secretValues}, which every line and result is masked with.
 */
final class CommandSecrets {

    private final WorkerSecrets secrets;
    private final SecretKeyRing keys;

    CommandSecrets(WorkerSecrets secrets, SecretKeyRing keys) {
        this.secrets = secrets;
        this.keys = keys;
    }

    /** @throws UnopenableException naming the secret or parameter and what the operator must do */
    StageCommand open(StageCommand command) throws UnopenableException {
        if (command.getSecretEnv().isEmpty() && command.getSecretInputs().isEmpty()) {
            return command;
        }
        Set<String> revealed = new LinkedHashSet<>(command.getSecretValues());
        Map<String, String> env = new LinkedHashMap<>(command.getEnv());
        for (Map.Entry<String, List<SecretTextPart>> value : command.getSecretEnv().entrySet()) {
            env.put(value.getKey(), assemble(command.getRunId(), value.getValue(), revealed));
        }
        Map<String, String> inputs = new LinkedHashMap<>(command.getInputs());
        for (Map.Entry<String, List<SecretTextPart>> value : command.getSecretInputs().entrySet()) {
            inputs.put(value.getKey(), assemble(command.getRunId(), value.getValue(), revealed));
        }
        return StageCommand.newBuilder(command)
                .setEnv(env)
                .setInputs(inputs)
                .setSecretEnv(Map.of())
                .setSecretInputs(Map.of())
                .setSecretValues(new ArrayList<>(revealed))
                .build();
    }

    private String assemble(String runId, List<SecretTextPart> parts, Set<String> revealed) throws UnopenableException {
        StringBuilder value = new StringBuilder();
        for (SecretTextPart part : parts) {
            String piece = switch (part.getKind()) {
                case TEXT -> part.getValue();
                case SECRET -> secrets.value(part.getValue()).orElseThrow(() -> new UnopenableException(
                        "secrets." + part.getValue() + " is not set on this worker; give it " + secrets.whereToSet(part.getValue())));
                case SEALED_PARAMETER -> SealedParameters.open(keys, runId, part.getParameter() == null ? "" : part.getParameter(), part.getValue());
                default -> throw new UnopenableException("a piece of a secret value is of a kind this worker does not know ("
                        + part.getKind() + "); the scheduler is newer than the worker");
            };
            if (part.getKind() != SecretTextPartKind.TEXT && !piece.isEmpty()) {
                revealed.add(piece);
            }
            value.append(piece);
        }
        return value.toString();
    }
}
