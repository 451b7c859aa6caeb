package dev.stagecoach.pipeline;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean" for misspelled keys and names. */
final class Suggestions {

    private Suggestions() {
    }

    static Optional<String> closest(String wrong, Collection<String> candidates) {
        int tolerance = Math.max(1, wrong.length() / 3);
        return candidates.stream()
                .filter(c -> distance(wrong, c) <= tolerance)
                .min(Comparator.comparingInt(c -> distance(wrong, c)));
    }

    static String didYouMean(String wrong, Collection<String> candidates) {
        return closest(wrong, candidates).map(c -> " (did you mean \"" + c + "\"?)").orElse("");
    }

    /** Damerau-Levenshtein distance restricted to adjacent transpositions. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
