package dev.stagecoach.bench;

import dev.stagecoach.cli.LocalStack;
import dev.stagecoach.events.ResultType;
import dev.stagecoach.events.RunEvent;
import dev.stagecoach.events.StageResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fail-over: runs of a pipeline of one-second shell stages are in flight when a scheduler
 * instance is killed with kill -9; the stall is the gap in stage starts around the kill, from
 * the last stage start before it to the first start of an attempt dispatched after it (an
 * attempt dispatched before the kill starts whether or not a scheduler lives).
 */
final class FailoverBench {

    static final String PIPELINE = "bench-failover";
    static final int STAGES = 6;
    static final String SECOND_SCHEDULER = "scheduler-2";
    private static final Duration RUNS_END_WITHIN = Duration.ofSeconds(180);

    /**
     * @param stall last start before the kill → first start, among the killed instance's runs, of an attempt
     *              dispatched after it, ms
     * @param killToFirstStart the kill → that first start, ms
     * @param killToLastRunMoving the kill → the moment the last of the runs had a stage start again (its first
     *                            attempt dispatched after the kill), ms: the tail that the first start hides
     * @param restartReady for a restart in place, the kill → the new process ready, ms; else -1
     */
    record Failover(String scenario, int runs, long stall, long killToFirstStart, long killToLastRunMoving, long restartReady,
                    long runsSucceeded, long killedOwnedRuns, String killed) {
    }

    private final BenchKafka kafka;
    private final EventTap tap;
    private final LocalStack stack;
    private final List<String> schedulerOpts;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    FailoverBench(BenchKafka kafka, EventTap tap, LocalStack stack, List<String> schedulerOpts) {
        this.kafka = kafka;
        this.tap = tap;
        this.stack = stack;
        this.schedulerOpts = schedulerOpts;
    }

    static String pipeline() {
        StringBuilder yaml = new StringBuilder("pipeline:\n  name: " + PIPELINE + "\n  options:\n    timeout: 30m\n  stages:\n");
        for (int i = 1; i <= STAGES; i++) {
            yaml.append("    - {name: ").append(BenchPipelines.stageName(i, STAGES)).append(", run: sleep 1}\n");
        }
        return yaml.toString();
    }

    /** (a) The only scheduler is killed and started again in place: same instance id, state directory and port. */
    Failover restartInPlace(int runs) {
        return measure("the only scheduler killed, restarted in place", runs, LocalStack.SCHEDULER, true);
    }

    /**
     * (b) Two instances run (the one missing, the second or one killed in an earlier round, is
     * started); the one that owns more of the runs in flight is killed and stays dead.
     */
    Failover survivorTakesOver(int runs) {
        for (String name : List.of(LocalStack.SCHEDULER, SECOND_SCHEDULER)) {
            if (stack.process(name) == null) {
                stack.startService(name, LocalStack.SCHEDULER, schedulerOpts);
                stack.awaitReady(name);
            }
        }
        try {
            kafka.awaitGroup("stagecoach-scheduler", 2, Duration.ofSeconds(60));
        } catch (IllegalStateException e) {
            System.err.println("the schedulers' group did not look settled, measuring anyway: " + e.getMessage());
        }
        return measure("one of two schedulers killed, not restarted", runs, null, false);
    }

    private Failover measure(String scenario, int runs, String victim, boolean restart) {
        Recorder recorder = new Recorder();
        tap.listen(recorder);
        try {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                ids.add("fo-" + UUID.randomUUID());
            }
            awaitSettledOwners(ids, victim == null ? 2 : 1);
            for (String id : ids) {
                recorder.runs.add(id);
                kafka.requestRun(PIPELINE, id);
            }
            // Mid-run: every run is a stage or two in, each with a stage running.
            Bench.pause(Duration.ofMillis(2500));
            Map<String, String> owners = owners(ids);
            Map<String, Long> owned = new LinkedHashMap<>();
            owners.values().forEach(owner -> owned.merge(owner, 1L, Long::sum));
            String killed = victim != null ? victim
                    : owned.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(SECOND_SCHEDULER);
            long killedAt = System.currentTimeMillis();
            stack.kill(killed);
            long ready = -1;
            if (restart) {
                stack.startService(killed, LocalStack.SCHEDULER, schedulerOpts);
                stack.awaitReady(killed);
                ready = System.currentTimeMillis() - killedAt;
            }
            long giveUp = System.nanoTime() + RUNS_END_WITHIN.toNanos();
            while (recorder.ended.size() < runs && System.nanoTime() < giveUp) {
                tap.check();
                Bench.pause(Duration.ofMillis(100));
            }
            tap.sync();
            long lastBefore = recorder.starts.entrySet().stream().filter(s -> s.getValue() < killedAt)
                    .mapToLong(Map.Entry::getValue).max().orElse(-1);
            Map<String, Long> firstPerRun = new LinkedHashMap<>();
            // Only the killed instance's runs: the survivor's own runs never stopped.
            recorder.starts.forEach((attempt, at) -> {
                String run = attempt.substring(0, attempt.indexOf('/'));
                if (at >= killedAt && recorder.dispatched.getOrDefault(attempt, Long.MAX_VALUE) >= killedAt
                        && killed.equals(owners.get(run))) {
                    firstPerRun.merge(run, at, Math::min);
                }
            });
            long firstAfter = firstPerRun.values().stream().mapToLong(Long::longValue).min().orElse(-1);
            long lastRunMoving = firstPerRun.values().stream().mapToLong(Long::longValue).max().orElse(-1);
            long succeeded = recorder.ended.values().stream().filter("RUN_SUCCEEDED"::equals).count();
            return new Failover(scenario, runs, firstAfter < 0 || lastBefore < 0 ? -1 : firstAfter - lastBefore,
                    firstAfter < 0 ? -1 : firstAfter - killedAt, lastRunMoving < 0 ? -1 : lastRunMoving - killedAt, ready, succeeded, owned.getOrDefault(killed, 0L), killed);
        } finally {
            tap.listen(null);
        }
    }

    /**
     * Waits until the owners of these run ids (the API names them even before the runs exist) stay
     * the same for a second and are {@code instances} many: an instance that just joined is given
     * its tasks over more than one rebalance, and a kill in between would take no runs with it.
     */
    private void awaitSettledOwners(List<String> ids, int instances) {
        long giveUp = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Map<String, String> before = owners(ids);
        while (System.nanoTime() < giveUp) {
            Bench.pause(Duration.ofSeconds(1));
            Map<String, String> now = owners(ids);
            if (now.equals(before) && !now.containsValue("unanswered") && now.values().stream().distinct().count() >= instances) {
                return;
            }
            before = now;
        }
        System.err.println("the owners of the fail-over runs did not settle within 90 s, measuring anyway: " + before);
    }

    /** Which instance answers for each run: the API says so in X-Stagecoach-Answered-By. */
    private Map<String, String> owners(List<String> runs) {
        Map<String, String> owners = new LinkedHashMap<>();
        for (String run : runs) {
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(anyScheduler() + "/api/runs/" + run))
                        .header("Authorization", "Bearer " + stack.token()).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                owners.put(run, response.headers().firstValue("X-Stagecoach-Answered-By").orElse("unanswered"));
            } catch (IOException e) {
                owners.put(run, "unanswered");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return owners;
    }

    private String anyScheduler() {
        return stack.serviceUrl(stack.process(LocalStack.SCHEDULER) != null ? LocalStack.SCHEDULER : SECOND_SCHEDULER);
    }

    /** Stage starts (the worker's clock) and dispatch decisions (the engine's clock) of the measured runs, by attempt. */
    private static final class Recorder implements EventTap.Listener {
        final List<String> runs = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Map<String, Long> starts = new ConcurrentHashMap<>();
        final Map<String, Long> dispatched = new ConcurrentHashMap<>();
        final Map<String, String> ended = new ConcurrentHashMap<>();

        @Override
        public void onResult(StageResult result) {
            if (result.getType() == ResultType.STARTED && runs.contains(result.getRunId())) {
                starts.merge(result.getAttemptId(), result.getAt().toEpochMilli(), Math::min);
            }
        }

        @Override
        public void onRunEvent(RunEvent event) {
            if (!runs.contains(event.getRunId())) {
                return;
            }
            if (event.getType().equals("STAGE_DISPATCHED") && event.getStage() != null && event.getAttempt() != null) {
                // The latest: the tap reads uncommitted events too, so an attempt the killed instance dispatched in a
                // transaction that was then aborted is seen dispatched again, after the kill, by its new owner.
                dispatched.merge(event.getRunId() + "/" + event.getStage() + "/" + event.getAttempt(), event.getAt().toEpochMilli(), Math::max);
            }
            if (EventTap.RUN_ENDS.contains(event.getType())) {
                ended.putIfAbsent(event.getRunId(), event.getType());
            }
        }
    }
}
