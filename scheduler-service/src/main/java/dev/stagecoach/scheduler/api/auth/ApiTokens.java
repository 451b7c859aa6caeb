package dev.stagecoach.scheduler.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The bearer tokens the scheduler accepts, from {@code stagecoach.auth.tokens.<name>=<role>:<token>},
 * each limited to the pipelines {@code stagecoach.auth.scopes.<name>} lists, if it lists any.
 * Only digests are kept, and a presented token is compared with every one of them in constant
 * time, so neither memory nor timing tells a caller how close a guess came.
 */
public final class ApiTokens {

    /** Shorter tokens are refused at start: they could be guessed. */
    public static final int MIN_LENGTH = 16;

    private record Entry(Caller caller, byte[] digest) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /** @throws IllegalArgumentException naming the first setting that is not {@code <role>:<token>} */
    public static ApiTokens parse(Map<String, String> byName) {
        return parse(byName, Map.of());
    }

    /**
     * @param scopes token name to comma-separated globs over pipeline names
     * @throws IllegalArgumentException naming the first setting that is not {@code <role>:<token>}, or
     *         a scope that names no token or has an empty pattern
     */
    public static ApiTokens parse(Map<String, String> byName, Map<String, String> scopes) {
        Map<String, PipelineScope> scopeByName = new TreeMap<>();
        new TreeMap<>(scopes).forEach((name, globs) -> {
            String key = "stagecoach.auth.scopes." + name;
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException(key + ": there is no token named \"" + name + "\"; tokens are "
                        + (byName.isEmpty() ? "none" : String.join(", ", new TreeMap<>(byName).keySet())));
            }
            try {
                scopeByName.put(name, PipelineScope.parse(globs));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
            }
        });
        ApiTokens tokens = new ApiTokens();
        new TreeMap<>(byName).forEach((name, value) -> {
            String key = "stagecoach.auth.tokens." + name;
            int colon = value.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(key + " must be <role>:<token>, e.g. operator:<" + MIN_LENGTH + "+ random characters>");
            }
            Role role;
            try {
                role = Role.parse(value.substring(0, colon));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
            }
            String token = value.substring(colon + 1);
            if (token.length() < MIN_LENGTH) {
                throw new IllegalArgumentException(key + ": the token has " + token.length() + " characters; use at least " + MIN_LENGTH);
            }
            tokens.entries.add(new Entry(new Caller(name, role, scopeByName.getOrDefault(name, PipelineScope.EVERY_PIPELINE)), digest(token)));
        });
        return tokens;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public Optional<Caller> lookUp(String presented) {
        byte[] digest = digest(presented);
        Caller found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest)) {
                found = entry.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
