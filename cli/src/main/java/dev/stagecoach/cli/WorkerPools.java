package dev.stagecoach.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How many worker processes the local stack starts per pool, from {@code --workers default=2,gpu=1}.
 * One {@code default} worker unless the option says otherwise ({@code default=0} for none).
 */
record WorkerPools(Map<String, Integer> counts) {

    static final String OPTION = "--workers";
    // A pool names its commands topic, so it may only use the characters of a topic name.
    private static final Pattern ENTRY = Pattern.compile("([A-Za-z0-9._-]+)=(\\d{1,3})");
    private static final int MAX_PER_POOL = 32;

    WorkerPools {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    static WorkerPools defaults() {
        return new WorkerPools(Map.of("default", 1));
    }

    /**
     * Reads {@code pool=count[,pool=count...]}; null or blank gives {@link #defaults()}.
     *
     * @throws IllegalArgumentException naming the entry that is wrong and what it should be
     */
    static WorkerPools parse(String option) {
        Map<String, Integer> counts = new LinkedHashMap<>(defaults().counts());
        if (option == null || option.isBlank()) {
            return new WorkerPools(counts);
        }
        for (String entry : option.split(",")) {
            String trimmed = entry.strip();
            var match = ENTRY.matcher(trimmed);
            if (!match.matches()) {
                throw new IllegalArgumentException(OPTION + ": \"" + trimmed + "\" is not <pool>=<count> (e.g. default=2,gpu=1;"
                        + " a pool is letters, digits, '.', '_' or '-')");
            }
            int count = Integer.parseInt(match.group(2));
            if (count > MAX_PER_POOL) {
                throw new IllegalArgumentException(OPTION + ": \"" + trimmed + "\" asks for " + count
                        + " workers; a local stack starts at most " + MAX_PER_POOL + " per pool");
            }
            counts.put(match.group(1), count);
        }
        return new WorkerPools(counts);
    }

    /** The pools that started these workers, from {@link #poolByWorker()} as a stack file keeps it. */
    static WorkerPools ofWorkers(Map<String, String> poolByWorker) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        poolByWorker.values().forEach(pool -> counts.merge(pool, 1, Integer::sum));
        return new WorkerPools(counts);
    }

    /**
     * The process name (and worker id) of the {@code n}th worker of a pool, from 1. The first
     * default worker keeps the stack's historical name, so its log stays {@code stage-workers.log}.
     */
    static String workerName(String pool, int n) {
        return pool.equals("default") && n == 1 ? LocalStack.WORKER : "worker-" + pool + "-" + n;
    }

    /** Every worker's name with its pool, in start order. */
    Map<String, String> poolByWorker() {
        Map<String, String> pools = new LinkedHashMap<>();
        counts.forEach((pool, count) -> {
            for (int n = 1; n <= count; n++) {
                pools.put(workerName(pool, n), pool);
            }
        });
        return pools;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        counts.forEach((pool, count) -> text.append(text.isEmpty() ? "" : ", ").append(pool).append('=').append(count));
        return text.toString();
    }
}
