package dev.stagecoach.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Where this worker reads a stage's {@code secrets.<NAME>}: the file {@code NAME} in
 * {@code stagecoach.worker.secrets-dir}, which is how Kubernetes mounts a secret, else the
 * environment variable {@code STAGECOACH_SECRET_<NAME>}. A secret is read when a stage needs
 * it, so a rotated file is seen by the next attempt.
 */
final class WorkerSecrets {

    static final String VARIABLE_PREFIX = "STAGECOACH_SECRET_";
    /** As the pipeline language allows; anything else (a path, say) comes from no pipeline and is not looked up. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Optional<Path> directory;
    private final UnaryOperator<String> environment;

    WorkerSecrets(Optional<Path> directory, UnaryOperator<String> environment) {
        this.directory = directory;
        this.environment = environment;
    }

    /** The secret's value, or empty when this worker has none of that name. */
    Optional<String> value(String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        if (directory.isPresent()) {
            Path file = directory.get().resolve(name);
            if (Files.isRegularFile(file)) {
                try {
                    return Optional.of(withoutFinalNewline(Files.readString(file, StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read secret file " + file, e);
                }
            }
        }
        return Optional.ofNullable(environment.apply(VARIABLE_PREFIX + name));
    }

    /** What an operator sets to give this worker the secret, for the error of a stage that lacked it. */
    String whereToSet(String name) {
        String variable = "the environment variable " + VARIABLE_PREFIX + name;
        return directory.map(dir -> "a file " + name + " in " + dir + " or " + variable).orElse(variable);
    }

    /** {@code echo token > file} adds a newline nobody means as part of the secret. */
    private static String withoutFinalNewline(String text) {
        return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}
