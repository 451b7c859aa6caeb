package dev.stagecoach.secrets;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES keys a deployment gives its services to seal secret run parameters: the current one
 * ({@value #KEY_SETTING}), which seals, and older ones ({@value #PREVIOUS_KEYS_SETTING}), which
 * still open what they sealed. Each key is written {@code <id>:<base64 of 16, 24 or 32 bytes>};
 * the id travels with every sealed value, which is what lets a key be rotated while runs
 * sealed with the old one are still going.
 */
public final class SecretKeyRing {

    public static final String KEY_SETTING = "stagecoach.secrets.key";
    public static final String PREVIOUS_KEYS_SETTING = "stagecoach.secrets.previous-keys";
    public static final String KEY_VARIABLE = "STAGECOACH_SECRETS_KEY";
    static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final int GENERATED_KEY_BYTES = 32;

    private final String currentId;
    private final Map<String, SecretKey> keys;

    private SecretKeyRing(String currentId, Map<String, SecretKey> keys) {
        this.currentId = currentId;
        this.keys = Map.copyOf(keys);
    }

    /** A ring that seals nothing and opens nothing: a deployment that gave no key. */
    public static SecretKeyRing none() {
        return new SecretKeyRing(null, Map.of());
    }

    /**
     * @param current the value of {@value #KEY_SETTING}, if set
     * @param previous the value of {@value #PREVIOUS_KEYS_SETTING}: keys separated by commas
     * @throws IllegalArgumentException naming the setting and what is wrong with it, never the key
     */
    public static SecretKeyRing of(Optional<String> current, Optional<String> previous) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String currentId = null;
        if (current.isPresent() && !current.get().isBlank()) {
            Map.Entry<String, SecretKey> key = parse(current.get().trim(), KEY_SETTING);
            currentId = key.getKey();
            keys.put(key.getKey(), key.getValue());
        }
        if (previous.isPresent()) {
            for (String written : previous.get().split(",")) {
                if (written.isBlank()) {
                    continue;
                }
                Map.Entry<String, SecretKey> key = parse(written.trim(), PREVIOUS_KEYS_SETTING);
                if (keys.putIfAbsent(key.getKey(), key.getValue()) != null) {
                    throw new IllegalArgumentException(PREVIOUS_KEYS_SETTING + ": key id \"" + key.getKey()
                            + "\" is given twice; every key needs an id of its own");
                }
            }
        }
        return new SecretKeyRing(currentId, keys);
    }

    private static Map.Entry<String, SecretKey> parse(String written, String setting) {
        int colon = written.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(setting + ": write a key as <id>:<base64 of 32 random bytes>, e.g. "
                    + "2026-12:" + "<44 characters>; the id is missing");
        }
        String id = written.substring(0, colon);
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(setting + ": key id \"" + id + "\" is not 1 to 32 letters, digits, '.', '_' or '-'");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(written.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": key \"" + id + "\" is not valid Base64 after its id");
        }
        if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
            throw new IllegalArgumentException(setting + ": key \"" + id + "\" has " + bytes.length
                    + " bytes; an AES key has 16, 24 or 32 (32 recommended)");
        }
        return Map.entry(id, new SecretKeySpec(bytes, "AES"));
    }

    /** A new random key in the form {@value #KEY_SETTING} takes. */
    public static String generate(String id) {
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("key id \"" + id + "\" is not 1 to 32 letters, digits, '.', '_' or '-'");
        }
        byte[] bytes = new byte[GENERATED_KEY_BYTES];
        new SecureRandom().nextBytes(bytes);
        return id + ":" + Base64.getEncoder().encodeToString(bytes);
    }

    public boolean canSeal() {
        return currentId != null;
    }

    /** The id of the key that seals, or empty when there is none. */
    public Optional<String> currentId() {
        return Optional.ofNullable(currentId);
    }

    Optional<SecretKey> key(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    /** The ids this ring opens, for messages; never the keys. */
    public List<String> ids() {
        return new ArrayList<>(keys.keySet());
    }
}
