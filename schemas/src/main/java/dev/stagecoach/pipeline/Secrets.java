package dev.stagecoach.pipeline;

import java.util.Collection;
import java.util.Comparator;

/** Masks secret values in text that leaves the process: log lines, events, reports. */
public final class Secrets {

    public static final String MASK = "***";

    private Secrets() {
    }

    public static String mask(String text, Collection<String> secretValues) {
        if (text == null || secretValues.isEmpty()) {
            return text;
        }
        String masked = text;
        // Longest first, so that a secret containing another is masked whole.
        for (String secret : secretValues.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            if (!secret.isEmpty()) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }
}
