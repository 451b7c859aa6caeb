package dev.stagecoach.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * The files one declared artifact names in a working directory. A path names its file, or
 * every file below it when it is a directory; a glob (Java's syntax: {@code *}, {@code **},
 * {@code ?}, {@code [abc]}, {@code {a,b}}) names the files whose path relative to the
 * directory it matches. Nothing outside the directory is ever named: not by {@code ..}, an
 * absolute path, or a link that leads out. The loader refuses the first two already; a
 * command may come from elsewhere, and links are made at run time.
 */
final class ArtifactPaths {

    /**
     * @param files relative to the working directory, in the order found
     * @param refused why a file or the whole declaration was left out, one reason each
     */
    record Found(List<Path> files, List<String> refused) {
    }

    // The worker's own files (the scripts it writes) are not the stage's to keep.
    private static final String WORKER_DIR = ".stagecoach";
    private static final String GLOB_CHARACTERS = "*?[{";

    private ArtifactPaths() {
    }

    static Found find(Path workDir, String declared) throws IOException {
        String pattern = declared.startsWith("./") ? declared.substring(2) : declared;
        if (pattern.isBlank() || pattern.startsWith("/") || pattern.startsWith("~") || List.of(pattern.split("/")).contains("..")) {
            return new Found(List.of(), List.of("it leaves the working directory"));
        }
        Path work = workDir.toRealPath();
        int glob = firstGlobCharacter(pattern);
        PathMatcher matcher;
        try {
            matcher = glob < 0 ? path -> true : work.getFileSystem().getPathMatcher("glob:" + pattern);
        } catch (PatternSyntaxException e) {
            return new Found(List.of(), List.of("it is not a valid glob: " + e.getDescription()));
        }
        // Walk only below the part that holds no glob character: dist/*.tar.gz looks in dist.
        Path start = work.resolve(glob < 0 ? pattern : pattern.substring(0, pattern.lastIndexOf('/', glob) + 1));
        List<Path> files = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        if (!Files.exists(start)) {
            return new Found(files, refused);
        }
        try (Stream<Path> walk = Files.walk(start)) {
            for (Iterator<Path> found = walk.filter(Files::isRegularFile).iterator(); found.hasNext(); ) {
                Path file = found.next();
                Path relative = work.relativize(file);
                if (relative.startsWith(WORKER_DIR) || !matcher.matches(relative)) {
                    continue;
                }
                if (!file.toRealPath().startsWith(work)) {
                    refused.add(relative + " is a link that leads outside the working directory");
                    continue;
                }
                files.add(relative);
            }
        }
        return new Found(files, refused);
    }

    private static int firstGlobCharacter(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            if (GLOB_CHARACTERS.indexOf(pattern.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
