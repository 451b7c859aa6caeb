package dev.stagecoach.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals the value of a secret run parameter where it enters (the API, a webhook, an event
 * trigger), so that it is stored and sent only sealed (run requests, the engine's changelog,
 * stage commands), and opens it in the worker that runs the stage. AES-GCM: the value can be
 * neither read nor altered without the key. The run id and the parameter's name are bound in as
 * associated data, so a sealed value copied into another run or parameter does not open.
 *
 * <p>Written {@code sealed:v1:<key id>:<base64url of nonce and ciphertext>}.
 */
public final class SealedParameters {

    public static final String PREFIX = "sealed:v1:";
    private static final Pattern SEALED = Pattern.compile(Pattern.quote(PREFIX) + "(" + SecretKeyRing.KEY_ID.pattern() + "):([A-Za-z0-9_-]{38,})");
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SealedParameters() {
    }

    /** Thrown when a sealed value cannot be opened, saying why in words an operator can act on. */
    public static final class UnopenableException extends Exception {
        public UnopenableException(String message) {
            super(message);
        }
    }

    /** @throws IllegalStateException when the ring has no current key */
    public static String seal(SecretKeyRing ring, String runId, String parameter, String value) {
        String keyId = ring.currentId().orElseThrow(() -> new IllegalStateException(
                "no key seals secret parameters: set " + SecretKeyRing.KEY_SETTING));
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, ring.key(keyId).orElseThrow(), nonce, runId, parameter);
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] written = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return PREFIX + keyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(written);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    public static String open(SecretKeyRing ring, String runId, String parameter, String sealed) throws UnopenableException {
        Matcher matcher = SEALED.matcher(sealed);
        if (!matcher.matches()) {
            throw new UnopenableException("the value of secret parameter \"" + parameter + "\" is not sealed; "
                    + "secret parameters are sealed by the scheduler that accepts the run");
        }
        String keyId = matcher.group(1);
        SecretKey key = ring.key(keyId).orElseThrow(() -> new UnopenableException("secret parameter \"" + parameter
                + "\" is sealed with key \"" + keyId + "\", which this service does not have"
                + (ring.ids().isEmpty() ? "; set " + SecretKeyRing.KEY_SETTING + " (" + SecretKeyRing.KEY_VARIABLE + ") as on the scheduler"
                : " (it has " + String.join(", ", ring.ids()) + "); add it to " + SecretKeyRing.PREVIOUS_KEYS_SETTING)));
        byte[] written = Base64.getUrlDecoder().decode(matcher.group(2));
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, java.util.Arrays.copyOf(written, NONCE_BYTES), runId, parameter);
            return new String(cipher.doFinal(written, NONCE_BYTES, written.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new UnopenableException("secret parameter \"" + parameter + "\" does not open with key \"" + keyId
                    + "\": it was altered, or sealed for another run or parameter");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** Whether {@code text} has the form of a sealed value; says nothing of whether it opens. */
    public static boolean isSealed(String text) {
        return text != null && SEALED.matcher(text).matches();
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String runId, String parameter) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(CIPHER);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(("stagecoach/run/" + runId + "/parameter/" + parameter).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
