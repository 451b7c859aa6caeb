package dev.stagecoach.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The worker's own trees on disk (working directories, kept artifacts): when each was last used, and deleting them. */
final class FileTrees {

    private FileTrees() {
    }

    /** Several workers may share a root (the local stack's do), so "last used" lives on the disk, not in memory. */
    static void touch(Path dir, Instant at) throws IOException {
        if (Files.isDirectory(dir)) {
            Files.setLastModifiedTime(dir, FileTime.from(at));
        }
    }

    /** The directories right under {@code root} last used before {@code before} that {@code deletable} lets go. */
    static List<Path> unusedSince(Path root, Instant before, Predicate<Path> deletable) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).filter(deletable).filter(dir -> lastUsed(dir).isBefore(before)).toList();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        // Links are deleted, never followed: a stage may link to files that are not its own.
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path visited, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(visited);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static Instant lastUsed(Path dir) {
        try {
            return Files.getLastModifiedTime(dir).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
