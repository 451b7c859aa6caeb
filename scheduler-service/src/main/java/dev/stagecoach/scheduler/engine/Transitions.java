package dev.stagecoach.scheduler.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A state machine written down as data: each row says that in state {@code from}, the change
 * {@code change} leads to {@code to}. Whatever the engine does to a stage or a run goes through
 * one of these rows or is refused, and the rows are what a test walks and proves exercised.
 *
 * @param <S> the states
 * @param <C> the changes that move between them
 */
public final class Transitions<S extends Enum<S>, C extends Enum<C>> {

    /** One row of the table. */
    public record Transition<S, C>(S from, C change, S to) {
        @Override
        public String toString() {
            return from + " --" + change + "--> " + to;
        }
    }

    private final String subject;
    private final Map<S, Map<C, S>> rows;

    private Transitions(String subject, Map<S, Map<C, S>> rows) {
        this.subject = subject;
        this.rows = rows;
    }

    static <S extends Enum<S>, C extends Enum<C>> Builder<S, C> of(String subject, Class<S> states, Class<C> changes) {
        return new Builder<>(subject, states, changes);
    }

    /** Where {@code change} leads from {@code from}, or empty when the table has no such row. */
    public Optional<S> next(S from, C change) {
        return Optional.ofNullable(rows.get(from).get(change));
    }

    /**
     * The row that takes {@code name} from {@code from} to {@code to} by {@code change}.
     *
     * @throws IllegalStateException when the table has no such row: the engine tried a move its rules do not allow
     */
    Transition<S, C> require(String name, S from, C change, S to) {
        S allowed = rows.get(from).get(change);
        if (allowed != to) {
            throw new IllegalStateException("Expected " + subject + " \"" + name + "\" to go from " + from + " to " + to
                    + " by " + change + ", but " + (allowed == null ? "in " + from + " only " + rows.get(from).keySet()
                    + " may happen" : change + " leads to " + allowed));
        }
        return new Transition<>(from, change, to);
    }

    /** The states one change away from {@code from}. */
    public Set<S> reachableFrom(S from) {
        return rows.get(from).values().stream().collect(Collectors.toCollection(() -> EnumSet.noneOf(from.getDeclaringClass())));
    }

    /** Every row, in the order of the states and changes. */
    public List<Transition<S, C>> rows() {
        List<Transition<S, C>> all = new ArrayList<>();
        rows.forEach((from, byChange) -> byChange.forEach((change, to) -> all.add(new Transition<>(from, change, to))));
        return all;
    }

    /** Collects the rows, one state at a time. */
    static final class Builder<S extends Enum<S>, C extends Enum<C>> {
        private final String subject;
        private final Class<S> states;
        private final Map<S, Map<C, S>> rows;
        private S from;

        private Builder(String subject, Class<S> states, Class<C> changes) {
            this.subject = subject;
            this.states = states;
            this.rows = new EnumMap<>(states);
            for (S state : states.getEnumConstants()) {
                rows.put(state, new EnumMap<>(changes));
            }
        }

        Builder<S, C> from(S state) {
            this.from = state;
            return this;
        }

        Builder<S, C> on(C change, S to) {
            if (rows.get(from).put(change, to) != null) {
                throw new IllegalArgumentException(subject + ": two rows for " + from + " on " + change);
            }
            return this;
        }

        Transitions<S, C> build() {
            Map<S, Map<C, S>> frozen = new EnumMap<>(states);
            rows.forEach((state, byChange) -> frozen.put(state, Collections.unmodifiableMap(new EnumMap<>(byChange))));
            return new Transitions<>(subject, Collections.unmodifiableMap(frozen));
        }
    }
}
