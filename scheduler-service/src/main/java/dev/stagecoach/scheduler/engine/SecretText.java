package dev.stagecoach.scheduler.engine;

import java.util.List;

/**
 * A value of a stage's environment or inputs that holds a secret or a secret parameter. The
 * scheduler never has the value: it sends the pieces, and the worker puts them together, reading
 * the secret from its own secret source and opening the sealed parameter with its key.
 */
public record SecretText(List<Piece> pieces) {

    public SecretText {
        pieces = List.copyOf(pieces);
    }

    public sealed interface Piece {
    }

    public record Text(String text) implements Piece {
    }

    /** {@code secrets.<name>}, resolved by the worker. */
    public record Secret(String name) implements Piece {
    }

    /** A secret run parameter as the run holds it: sealed where it entered. */
    public record SealedParameter(String parameter, String sealed) implements Piece {
    }
}
