package dev.stagecoach.scheduler.api.auth;

import java.util.Arrays;
import java.util.Locale;

/** What a token may do; each role may do everything the roles before it may. */
public enum Role {
    /** Reads pipelines, runs and reports. */
    VIEWER,
    /** Starts, cancels, approves, rejects and resumes runs. */
    OPERATOR,
    /** Registers pipelines, and may record a decision in another person's name. */
    ADMIN;

    public boolean covers(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code text} (any case), or an exception that lists the roles there are. */
    public static Role parse(String text) {
        return Arrays.stream(values()).filter(r -> r.name().equalsIgnoreCase(text.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no role \"" + text.trim() + "\"; roles are viewer, operator, admin"));
    }
}
