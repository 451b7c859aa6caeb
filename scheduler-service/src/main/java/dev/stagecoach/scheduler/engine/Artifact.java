package dev.stagecoach.scheduler.engine;

/**
 * A file a worker kept when an attempt ended.
 *
 * @param path where the stage left it, relative to its working directory
 * @param location where the kept copy lies, as the worker names it (a {@code file:} URI)
 */
public record Artifact(String path, String location, long sizeBytes, String sha256) {
}
