package dev.stagecoach.worker;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The first bytes of an answer's body, up to a capacity: the rest is read and dropped, so a large answer costs no memory. */
final class BodyPrefix {

    private final byte[] kept;
    private int size;
    private boolean cut;

    BodyPrefix(int capacity) {
        this.kept = new byte[capacity];
    }

    /** Takes the chunks as {@link java.net.http.HttpResponse.BodySubscribers#ofByteArrayConsumer} hands them over. */
    synchronized void accept(Optional<byte[]> chunk) {
        chunk.ifPresent(bytes -> {
            int taken = Math.min(kept.length - size, bytes.length);
            System.arraycopy(bytes, 0, kept, size, taken);
            size += taken;
            cut |= taken < bytes.length;
        });
    }

    /** What was kept, read as UTF-8; a character cut at the end becomes U+FFFD. */
    synchronized String text() {
        return new String(kept, 0, size, StandardCharsets.UTF_8);
    }

    /** Whether the body was longer than what was kept. */
    synchronized boolean cut() {
        return cut;
    }
}
