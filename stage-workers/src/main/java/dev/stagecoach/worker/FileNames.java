package dev.stagecoach.worker;

/** Names from commands (run ids, stage names) made safe to use as one file name. */
final class FileNames {

    private FileNames() {
    }

    /**
     * Keeps letters, digits and {@code . _ - # @} (shards and rollback steps are named
     * {@code test#2} and {@code rollback@deploy}); anything else, a separator included,
     * becomes {@code _}. A name of dots alone would mean this directory or its parent.
     */
    static String safe(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._#@-]", "_");
        return safe.matches("\\.*") ? "_" + safe.replace('.', '_') : safe;
    }
}
