package dev.stagecoach.scheduler.triggers;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GitHub's webhook signature: {@code sha256=} and the lowercase hex HMAC-SHA256 of the raw
 * body, keyed with the shared secret. The timestamped form signs {@code "<timestamp>.<raw body>"}
 * instead (as Stripe and Slack do), so that the time a delivery claims cannot be changed
 * without the secret. Compared in constant time, so that how long a refusal takes says nothing
 * about how much of a guess was right.
 */
public final class WebhookSignature {

    public static final String PREFIX = "sha256=";
    private static final Pattern FORM = Pattern.compile("sha256=[0-9a-fA-F]{64}");
    private static final byte[] NOTHING = new byte[0];

    public enum Verdict { VALID, MALFORMED, MISMATCH }

    private WebhookSignature() {
    }

    public static String sign(byte[] body, String secret) {
        return PREFIX + HexFormat.of().formatHex(hmac(NOTHING, body, secret));
    }

    /** The signature of {@code "<timestamp>.<body>"}, the timestamp exactly as the header carries it. */
    public static String sign(String timestamp, byte[] body, String secret) {
        return PREFIX + HexFormat.of().formatHex(hmac(timestamped(timestamp), body, secret));
    }

    /** @param header the signature header as sent, not null */
    public static Verdict verify(String header, byte[] body, String secret) {
        return verify(header, NOTHING, body, secret);
    }

    /** Whether {@code header} signs {@code "<timestamp>.<body>"}; @param header the signature header as sent, not null */
    public static Verdict verify(String header, String timestamp, byte[] body, String secret) {
        return verify(header, timestamped(timestamp), body, secret);
    }

    /** Whether a signature header has the form of one, before any secret is tried. */
    public static boolean wellFormed(String header) {
        return FORM.matcher(header.trim()).matches();
    }

    private static Verdict verify(String header, byte[] prefix, byte[] body, String secret) {
        String given = header.trim();
        if (!wellFormed(given)) {
            return Verdict.MALFORMED;
        }
        byte[] claimed = HexFormat.of().parseHex(given.substring(PREFIX.length()));
        return MessageDigest.isEqual(claimed, hmac(prefix, body, secret)) ? Verdict.VALID : Verdict.MISMATCH;
    }

    private static byte[] timestamped(String timestamp) {
        return (timestamp + ".").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hmac(byte[] prefix, byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM has HmacSHA256 and takes any non-empty key", e);
        }
    }
}
