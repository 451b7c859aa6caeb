package dev.stagecoach.bench;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The bench's results as Markdown: one summary table against the goals, then the details behind it. */
final class MarkdownReport {

    static final double HANDOFF_P50_GOAL = 10;
    static final double HANDOFF_P99_GOAL = 50;
    static final double THROUGHPUT_GOAL = 2000;

    private final Results r;
    private final StringBuilder md = new StringBuilder();

    MarkdownReport(Results results) {
        this.r = results;
    }

    String render() {
        md.append("# Stagecoach bench\n\n");
        md.append("`").append(r.command).append("`, started ")
                .append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC).format(r.startedAt))
                .append(" UTC, took ").append(String.format(Locale.ROOT, "%.0f s", r.took.toMillis() / 1000.0))
                .append(". One KRaft broker and the packaged services, each a process on this machine (")
                .append(r.machine.get("cores")).append(" cores, ").append(r.machine.get("memory")).append(", ")
                .append(r.machine.get("java")).append("), talking over loopback.\n\n");
        md.append("Machine load: load average (1 / 5 / 15 min) ").append(r.loadBefore).append(" before, ")
                .append(r.loadAfter).append(" after");
        if (r.wholeRun != null) {
            md.append("; while measuring, processes outside the bench used ").append(cpu(r.wholeRun.others()))
                    .append(" of a core on average (the whole machine: ").append(cpu(r.wholeRun.machine())).append(" of ")
                    .append(100 * ProcStats.CORES).append(" %)");
        }
        md.append(".\n\n");
        summary();
        floorDetails();
        handoffDetails();
        peersDetails();
        throughputDetails();
        footprintDetails();
        failoverDetails();
        profiles();
        method();
        return md.toString();
    }

    private void summary() {
        md.append("## Results\n\n");
        Table t = new Table("#", "measure", "result", "× floor (acks=all / transactional)", "goal");
        if (r.floor != null) {
            t.row("1", "Kafka round trip: produce (acks=all) → consume", pp(r.floor.plain()), "floor", "");
            t.row("1", "Kafka round trip: transactional produce, commit per record → read_committed consume",
                    pp(r.floor.transactional()), "floor", "");
        } else {
            t.row("1", "Kafka round trip", "not measured (section skipped)", "", "");
        }
        if (r.handoff != null && !r.handoff.handoffs().total().isEmpty()) {
            Samples h = r.handoff.handoffs().total();
            t.row("2", "hand-off: StageFinished sent → next StageCommand received by a worker ("
                            + r.handoff.stages() + " noop stages, " + r.handoff.runs() + " runs one at a time, n = " + h.count() + ")",
                    pp(h), ratios(h), handoffGoal(h));
        } else {
            t.row("2", "hand-off", "not measured (section skipped)", "", "");
        }
        if (r.peers != null) {
            PeerWorkloadBench.Peers p = r.peers;
            t.row("2", "peers' workload: " + PeerWorkloadBench.STEPS + " sequential noop steps; " + p.oneAtATime()
                            + " runs one at a time, then " + p.burst() + " at once (section 2b)",
                    String.format(Locale.ROOT, "step gap p50 **%s**, run p50 **%s**, **%.0f** runs/s", ms(p.stepGap().percentile(50)),
                            ms(p.runLatency().percentile(50)), p.runsPerSecond()),
                    "", "Temporal test server: 3.9 ms, 30 ms, 67 runs/s");
        }
        if (r.notifications != null) {
            NotificationBench.Notifications n = r.notifications;
            t.row("2", "notifier: a webhook notification written → received by an HTTP receiver answering 204 (n = "
                            + n.latency().count() + " one at a time; then " + n.burst() + " at once)",
                    pp(n.latency()) + String.format(Locale.ROOT, "; **%,.0f** notifications/s", n.perSecond()),
                    ratios(n.latency()), "");
        }
        for (ThroughputBench.Phase p : r.phases) {
            t.row("3", "throughput: " + Bench.THROUGHPUT_STAGES + "-stage noop runs, " + p.inFlight() + " in flight, "
                            + p.workers() + " worker" + (p.workers() == 1 ? "" : "s") + " × 4 concurrent",
                    String.format(Locale.ROOT, "**%,.0f** stage executions/s (seconds ranged %,.0f–%,.0f)", p.rate(),
                            p.slowestSecond(), p.fastestSecond()),
                    "", throughputGoal(p.rate()));
        }
        if (r.phases.isEmpty()) {
            t.row("3", "throughput", "not measured (section skipped)", "", "");
        }
        if (r.fanout == null) {
            t.row("4", "fan-out", "not measured (section skipped)", "", "");
        } else {
            FanoutBench.Fanout f = r.fanout;
            String what = "fan-out: one noop stage with `parallel: " + f.shards() + "` (parallel_workers " + f.parallelWorkers()
                    + ", the language's maximum) over " + f.workers() + " workers";
            String result = f.ended()
                    ? String.format(Locale.ROOT, "**%.1f s** to the run's end (%.0f shards/s; %s; %d workers used)",
                            f.secondsToEnd(), f.shards() / f.secondsToEnd(), f.end(), f.workersUsed())
                    : String.format(Locale.ROOT, "did not finish within %d s: %,d of %,d shards finished",
                            f.limit().toSeconds(), f.stagesFinished(), f.shards());
            t.row("4", what, result, "", "");
        }
        if (r.idle != null) {
            t.row("5", "footprint, idle after start", mem(r.idle, "scheduler", "worker"), "", "");
        }
        if (!r.phases.isEmpty()) {
            ThroughputBench.Phase p = r.phases.get(0);
            t.row("5", "footprint, steady state (throughput with " + p.workers() + " worker" + (p.workers() == 1 ? "" : "s")
                            + ")",
                    usage(p.cpu(), p.atEnd(), "scheduler") + "; " + usage(p.cpu(), p.atEnd(), "worker"), "", "");
        }
        if (r.filled != null) {
            t.row("5", String.format(Locale.ROOT, "footprint, idle with %,d finished runs held in state",
                            r.filled.runsHeld()),
                    mem(r.filled, "scheduler", "worker") + String.format(Locale.ROOT, "; scheduler state on disk %.0f MB",
                            r.filled.stateBytes() / 1e6),
                    "", r.filledToTarget ? "" : String.format(Locale.ROOT, "target was %,d runs", r.fillTarget));
        }
        for (FailoverBench.Failover f : r.failovers) {
            t.row("6", "fail-over: " + f.scenario() + ", " + f.runs() + " runs in flight",
                    f.stall() < 0 ? "no stage started after the kill" : String.format(Locale.ROOT,
                            "**%.1f s** stall in stage starts (every run moving again %.1f s after the kill); %d of %d runs SUCCEEDED",
                            f.stall() / 1000.0, f.killToLastRunMoving() / 1000.0, f.runsSucceeded(), f.runs()),
                    "", "");
        }
        md.append(t).append('\n');
    }

    private void floorDetails() {
        if (r.floor == null) {
            return;
        }
        md.append("## 1. Floor: Kafka's own round trip\n\n");
        md.append("One record at a time (200 bytes), producer and consumer in the bench's JVM, the consumer assigned "
                + "(no group) with fetch.max.wait.ms=" + r.settings.get("floor consumers' fetch.max.wait.ms")
                + ". The chained row is the least a hand-off "
                + "can cost with zero processing: a plain hop (the worker's result) then a transactional hop (the engine's command).\n\n");
        Table t = new Table("path", "n", "p50", "p90", "p99", "max", "mean");
        dist(t, "produce (acks=all) → consume", r.floor.plain());
        dist(t, "transactional produce, commit per record → read_committed consume", r.floor.transactional());
        dist(t, "both chained: acks=all hop, then transactional hop", r.floor.chained());
        md.append(t).append('\n');
    }

    private void peersDetails() {
        if (r.peers == null) {
            return;
        }
        PeerWorkloadBench.Peers p = r.peers;
        md.append("## 2b. The peers' workload\n\n");
        md.append("The workload other orchestrators are compared on: runs of ").append(PeerWorkloadBench.STEPS)
                .append(" sequential no-op steps, ").append(p.oneAtATime()).append(" one at a time, then ").append(p.burst())
                .append(" started at once. The step gap is a hand-off (next STARTED − FINISHED, the worker's clock); a run's "
                        + "latency runs from the request to the moment a read_committed consumer of `stagecoach.run-events` "
                        + "(fetching every record as it commits) reads its end; "
                        + "the burst's rate is its runs over the time from the first request to the last end. The same "
                        + "workload against Temporal's Java test server (its own JVM, over gRPC, state in memory) measured on "
                        + "this machine: step gap p50 3.9 ms, run p50 30 ms, 67 runs/s.\n\n");
        Table t = new Table("measure", "n", "p50", "p90", "p99", "max");
        t.row("step gap", Integer.toString(p.stepGap().count()), ms(p.stepGap().percentile(50)), ms(p.stepGap().percentile(90)),
                ms(p.stepGap().percentile(99)), ms(p.stepGap().max()));
        t.row("run latency, one at a time", Integer.toString(p.runLatency().count()), ms(p.runLatency().percentile(50)),
                ms(p.runLatency().percentile(90)), ms(p.runLatency().percentile(99)), ms(p.runLatency().max()));
        md.append(t).append('\n');
        md.append(String.format(Locale.ROOT, "Burst: %d runs in %.1f s, **%.0f runs/s**; %d of all runs did not succeed.%n%n",
                p.burst(), p.burstTook().toMillis() / 1000.0, p.runsPerSecond(), p.failed()));
    }

    private void handoffDetails() {
        if (r.handoff == null) {
            return;
        }
        md.append("## 2. Hand-off latency\n\n");
        md.append("A hand-off is STARTED(stage i+1).at − FINISHED(stage i).at, both stamped by the worker from the same "
                + "wall clock, read from `stagecoach.results`. The worker stamps FINISHED just before sending it and STARTED "
                + "as soon as it has the next command in hand, so the span covers: the result's produce, the engine's poll, "
                + "decision and transaction commit, and the worker's fetch of the command. Timestamps are whole milliseconds "
                + "(Avro timestamp-millis), so each sample is ±1 ms.\n\n");
        Table t = new Table("condition", "n", "p50", "p90", "p99", "max", "p50 × floor", "p99 × floor",
                "FINISHED → engine decided, p50 / p99", "decided → next STARTED, p50 / p99");
        handoffRow(t, "quiet: one run at a time", r.handoff.handoffs());
        if (r.probedHandoff != null) {
            handoffRow(t, "quiet, with the probe below watching", r.probedHandoff.handoffs());
        }
        for (ThroughputBench.Phase p : r.phases) {
            handoffRow(t, "under throughput load, " + p.workers() + " worker(s), " + p.inFlight() + " runs in flight", p.handoffs());
        }
        md.append(t).append('\n');
        md.append("Floor ratios are given against acks=all / transactional / chained. The last two columns split each "
                + "hand-off at the engine's decision, stamped by the engine on its STAGE_DISPATCHED run event (Kafka Streams' "
                + "cached wall clock): before it, the result's produce, its wait in `stagecoach.results` and the engine's "
                + "processing; after it, the transaction commit, the command's wait in the commands topic and the worker's "
                + "fetch. Under load a hand-off also waits "
                + "in queues: with a closed loop of N runs in flight, the mean hand-off is about N ÷ throughput (Little's law), "
                + "so those rows show queueing, not the path's own cost.");
        if (!r.handoff.admission().isEmpty()) {
            md.append(String.format(Locale.ROOT, " Admission (RunRequested sent → first stage's command received): p50 %s, p99 %s.",
                    ms(r.handoff.admission().percentile(50)), ms(r.handoff.admission().percentile(99))));
        }
        if (r.handoff.failedRuns() > 0) {
            md.append(" ").append(r.handoff.failedRuns()).append(" run(s) did not succeed.");
        }
        md.append("\n\n");
        if (r.probedHandoff != null && r.probedHandoff.breakdown() != null && !r.probedHandoff.breakdown().total().isEmpty()) {
            HandoffBench.Breakdown b = r.probedHandoff.breakdown();
            md.append("### Where a hand-off's time goes\n\n");
            md.append("A probe reads the commands topic beside the workers (assigned, no group) twice: read_uncommitted sees a "
                    + "command when the engine's producer has appended it, read_committed when its transaction has committed. "
                    + "`issuedAt` is the engine's processing time of the FINISHED result (Kafka Streams' cached wall clock). "
                    + "Means add up to the total; percentiles need not.\n\n");
            Table bt = new Table("hop", "n", "mean", "p50", "p99");
            hop(bt, "worker sends FINISHED → engine has decided (produce, engine poll, state load, decide)", b.toEngine());
            hop(bt, "engine decided → command appended (engine's produce)", b.append());
            hop(bt, "appended → committed and visible to read_committed (waiting for the commit interval, commit)", b.commit());
            hop(bt, "visible to a read_committed probe → worker has the command (worker's fetch and dispatch)", b.toWorker());
            hop(bt, "total hand-off", b.total());
            md.append(bt).append('\n');
        }
    }

    private void throughputDetails() {
        if (r.phases.isEmpty()) {
            return;
        }
        md.append("## 3. Throughput\n\n");
        md.append("A closed loop keeps the stated number of runs in flight (a new run starts, by a RunRequested record, "
                + "whenever the engine reports one ended) and counts the FINISHED results whose worker timestamp falls "
                + "in the window after the warm-up. CPU is % of one core over the window (the machine has "
                + 100 * ProcStats.CORES + " %), from /proc/PID/stat utime+stime.\n\n");
        List<String> headers = new ArrayList<>(List.of("workers", "executions", "window", "per second", "slowest / fastest second",
                "runs ended", "scheduler CPU", "workers CPU", "broker CPU", "bench CPU", "others CPU", "machine CPU"));
        Table t = new Table(headers.toArray(String[]::new));
        for (ThroughputBench.Phase p : r.phases) {
            double workersCpu = p.cpu().processes().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("worker")).mapToDouble(Map.Entry::getValue).sum();
            t.row(Integer.toString(p.workers()), String.format(Locale.ROOT, "%,d", p.executions()),
                    String.format(Locale.ROOT, "%.0f s", p.windowSeconds()),
                    String.format(Locale.ROOT, "**%,.0f**", p.rate()),
                    String.format(Locale.ROOT, "%,.0f / %,.0f", p.slowestSecond(), p.fastestSecond()),
                    p.runsEnded() + (p.runsFailed() > 0 ? " (" + p.runsFailed() + " not succeeded)" : "") + (p.drained() ? "" : ", not drained"),
                    cpu(p.cpu().processes().get("scheduler")), cpu(workersCpu), cpu(p.cpu().processes().get("broker")),
                    cpu(p.cpu().processes().get("bench")), cpu(p.cpu().others()), cpu(p.cpu().machine()));
        }
        md.append(t).append('\n');
        md.append("CPU time per stage execution (CPU over the window ÷ executions), and the rate two idle cores could "
                + "sustain at that cost if nothing else ran, not even the bench's load generator:\n\n");
        Table cost = new Table("workers", "scheduler", "workers", "broker", "stack total", "ceiling on " + ProcStats.CORES + " cores");
        for (ThroughputBench.Phase p : r.phases) {
            if (p.executions() == 0) {
                continue;
            }
            double perExecution = p.windowSeconds() * 1000 / 100 / p.executions();
            double scheduler = p.cpu().processes().getOrDefault("scheduler", 0.0) * perExecution;
            double workers = p.cpu().processes().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("worker")).mapToDouble(Map.Entry::getValue).sum() * perExecution;
            double broker = p.cpu().processes().getOrDefault("broker", 0.0) * perExecution;
            double total = scheduler + workers + broker;
            cost.row(Integer.toString(p.workers()), ms(scheduler), ms(workers), ms(broker), ms(total),
                    String.format(Locale.ROOT, "%,.0f/s", ProcStats.CORES * 1000 / total));
        }
        md.append(cost).append('\n');
        ThroughputBench.Phase first = r.phases.get(0);
        if (first.executions() > 0 && !first.logEntries().isEmpty()) {
            md.append("What the broker writes per stage execution (growth of each topic's end offsets over the window of the "
                    + first.workers() + "-worker phase ÷ executions; transaction markers take an offset too, and "
                    + "the offsets are read just outside the window, so this slightly overstates):\n\n");
            Table entries = new Table("topic", "log entries per stage execution");
            double total = 0;
            for (var e : first.logEntries().entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList()) {
                if (e.getValue() <= 0) {
                    continue;
                }
                double perExecution = (double) e.getValue() / first.executions();
                total += perExecution;
                entries.row("`" + e.getKey() + "`", String.format(Locale.ROOT, "%.2f", perExecution));
            }
            entries.row("all topics", String.format(Locale.ROOT, "**%.1f**", total));
            md.append(entries).append('\n');
        }
    }

    private void footprintDetails() {
        md.append("## 5. Footprint\n\n");
        md.append("Resident memory is VmRSS of /proc/PID/status; CPU is utime+stime over the stretch, in % of one core. "
                + "The services run with -Xmx384m and SerialGC (LocalStack), so RSS is mostly the heap they have grown into.\n\n");
        Table t = new Table("when", "process", "RSS", "CPU");
        if (r.idle != null) {
            quietRows(t, "idle after start", r.idle);
        }
        if (!r.phases.isEmpty()) {
            ThroughputBench.Phase p = r.phases.get(0);
            for (String name : List.of("scheduler", "worker", "broker")) {
                t.row("steady state, throughput with " + p.workers() + " worker(s)", name,
                        rss(p.atEnd(), name), cpu(p.cpu().processes().get(name)));
            }
        }
        if (r.filled != null) {
            quietRows(t, String.format(Locale.ROOT, "idle, %,d finished runs held", r.filled.runsHeld()), r.filled);
        }
        md.append(t).append('\n');
        if (r.filled != null) {
            md.append(String.format(Locale.ROOT, "The scheduler's state directory (RocksDB stores) held %.1f MB after %,d runs"
                    + " (%,d of them did not succeed).", r.filled.stateBytes() / 1e6, r.filled.runsHeld(), r.filled.runsFailed()));
            if (r.runsAfterFill != null) {
                md.append(String.format(Locale.ROOT, " With a retention of %s, the engine still held %,d runs (their latest record on"
                        + " stagecoach.runs a snapshot) and had forgotten %,d (a tombstone).", r.retention, r.runsAfterFill.held(),
                        r.runsAfterFill.forgotten()));
            }
            md.append("\n\n");
        }
    }

    private void failoverDetails() {
        if (r.failovers.isEmpty()) {
            return;
        }
        md.append("## 6. Fail-over\n\n");
        md.append("Runs of " + FailoverBench.STAGES + " shell stages (`sleep 1`) are in flight, every one with a stage running, when a "
                + "scheduler instance gets kill -9. The stall is the gap in stage starts around the kill: from the last stage "
                + "start before it to the first start, in a run the killed instance owned, of an attempt the engine dispatched "
                + "after it (worker and engine clocks, one machine; the survivor's own runs never stop). Workers keep running their stages meanwhile; only the hand-offs wait.\n\n");
        md.append("\"Every run moving\" is when the last of the killed instance's runs had a stage start again: a dead instance's open "
                + "transaction holds back what the survivor writes to the partitions it touched until the broker aborts it.\n\n");
        Table t = new Table("scenario", "killed", "runs it owned", "stall", "kill → first start", "kill → every run moving",
                "kill → restarted instance ready", "runs SUCCEEDED");
        for (FailoverBench.Failover f : r.failovers) {
            t.row(f.scenario(), f.killed(), Long.toString(f.killedOwnedRuns()), seconds(f.stall()), seconds(f.killToFirstStart()),
                    seconds(f.killToLastRunMoving()), f.restartReady() < 0 ? "" : seconds(f.restartReady()),
                    f.runsSucceeded() + " of " + f.runs());
        }
        md.append(t).append('\n');
    }

    private static String seconds(long millis) {
        return millis < 0 ? "none" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private void profiles() {
        if (r.profiles.isEmpty()) {
            return;
        }
        md.append("## Profile: where the CPU goes\n\n");
        md.append("JDK Flight Recorder (settings=profile, started and stopped with jcmd) in the running services. "
                + "Shares are of the Java execution samples of that process; a sample counts for every component "
                        + "on its stack, so components overlap. Time in native code (RocksDB's C++, the kernel's network "
                        + "stack) is not in these samples; its Java callers are.\n\n");
        for (Profiler.Profile p : r.profiles) {
            md.append("### ").append(p.process()).append(" during ").append(p.during()).append(String.format(Locale.ROOT,
                    " (%,d samples, GC pauses %.1f %% of the time, recording in `%s`)%n%n", p.samples(), p.gcPercent(), p.file()));
            Table threads = new Table("thread", "samples");
            p.threads().stream().limit(6).forEach(s -> threads.row(s.name(), share(s)));
            md.append(threads).append('\n');
            Table components = new Table("component (inclusive)", "samples");
            p.components().stream().filter(s -> s.samples() > 0).forEach(s -> components.row(s.name(), share(s)));
            md.append(components).append('\n');
            Table ours = new Table("Stagecoach method (inclusive)", "samples");
            p.stagecoachMethods().forEach(s -> ours.row("`" + s.name() + "`", share(s)));
            md.append(ours).append('\n');
            Table self = new Table("method on top of the stack (self)", "samples");
            p.selfMethods().forEach(s -> self.row("`" + s.name() + "`", share(s)));
            md.append(self).append('\n');
            if (!p.nativeMethods().isEmpty()) {
                Table natives = new Table("busy native method (of non-idle native samples)", "samples");
                p.nativeMethods().forEach(s -> natives.row("`" + s.name() + "`", share(s)));
                md.append(natives).append('\n');
            }
        }
    }

    private static String share(Profiler.Share s) {
        return String.format(Locale.ROOT, "%.1f %% (%,d)", s.percent(), s.samples());
    }

    private void method() {
        md.append("## Settings measured with\n\n");
        Table t = new Table("setting", "value");
        r.settings.forEach(t::row);
        md.append(t).append('\n');
        for (String note : r.notes) {
            md.append("- ").append(note).append('\n');
        }
        if (!r.notes.isEmpty()) {
            md.append('\n');
        }
    }

    private void quietRows(Table t, String when, Results.Quiet q) {
        for (String name : List.of("scheduler", "worker", "broker", "notifier")) {
            t.row(when, name, rss(q.reading(), name), cpu(q.cpu().processes().get(name)));
        }
    }

    private void handoffRow(Table t, String condition, RunRecorder.Handoffs h) {
        Samples s = h.total();
        if (s.isEmpty()) {
            t.row(condition, "0", "", "", "", "", "", "", "", "");
            return;
        }
        t.row(condition, Integer.toString(s.count()), ms(s.percentile(50)), ms(s.percentile(90)), ms(s.percentile(99)),
                ms(s.max()), floorRatios(s.percentile(50), 50), floorRatios(s.percentile(99), 99),
                split(h.toDecision()), split(h.afterDecision()));
    }

    private static String split(Samples s) {
        return s.isEmpty() ? "" : ms(s.percentile(50)) + " / " + ms(s.percentile(99));
    }

    private String floorRatios(double value, double p) {
        if (r.floor == null) {
            return "";
        }
        return x(value / r.floor.plain().percentile(p)) + " / " + x(value / r.floor.transactional().percentile(p))
                + " / " + x(value / r.floor.chained().percentile(p));
    }

    private String ratios(Samples h) {
        if (r.floor == null) {
            return "";
        }
        return "p50 " + x(h.percentile(50) / r.floor.plain().percentile(50)) + " / " + x(h.percentile(50) / r.floor.transactional().percentile(50))
                + "; p99 " + x(h.percentile(99) / r.floor.plain().percentile(99)) + " / " + x(h.percentile(99) / r.floor.transactional().percentile(99));
    }

    private static String handoffGoal(Samples h) {
        double p50 = h.percentile(50);
        double p99 = h.percentile(99);
        return "p50 ≤ 10 ms " + verdict(p50 <= HANDOFF_P50_GOAL, "missed by " + ms(p50 - HANDOFF_P50_GOAL))
                + "; p99 ≤ 50 ms " + verdict(p99 <= HANDOFF_P99_GOAL, "missed by " + ms(p99 - HANDOFF_P99_GOAL));
    }

    private static String throughputGoal(double rate) {
        return "≥ 2,000/s " + verdict(rate >= THROUGHPUT_GOAL,
                String.format(Locale.ROOT, "missed by %,.0f/s (%.0f %% of the goal)", THROUGHPUT_GOAL - rate, 100 * rate / THROUGHPUT_GOAL));
    }

    private static String verdict(boolean met, String missed) {
        return met ? "✅ met" : "❌ " + missed;
    }

    private static void dist(Table t, String what, Samples s) {
        t.row(what, Integer.toString(s.count()), ms(s.percentile(50)), ms(s.percentile(90)), ms(s.percentile(99)),
                ms(s.max()), ms(s.mean()));
    }

    private static void hop(Table t, String what, Samples s) {
        t.row(what, Integer.toString(s.count()), ms(s.mean()), ms(s.percentile(50)), ms(s.percentile(99)));
    }

    private static String pp(Samples s) {
        return "p50 **" + ms(s.percentile(50)) + "**, p99 **" + ms(s.percentile(99)) + "**";
    }

    private static String mem(Results.Quiet q, String a, String b) {
        return usage(q.cpu(), q.reading(), a) + "; " + usage(q.cpu(), q.reading(), b);
    }

    private static String usage(ProcStats.CpuShare cpu, ProcStats.Reading reading, String name) {
        return name + " " + rss(reading, name) + " RSS, " + cpu(cpu.processes().get(name)) + " CPU";
    }

    private static String rss(ProcStats.Reading reading, String name) {
        ProcStats.Usage usage = reading.processes().get(name);
        return usage == null || usage.rssKb() < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MB", usage.rssKb() / 1024.0);
    }

    static String ms(double millis) {
        return Math.abs(millis) < 10 ? String.format(Locale.ROOT, "%.1f ms", millis) : String.format(Locale.ROOT, "%.0f ms", millis);
    }

    private static String x(double ratio) {
        return String.format(Locale.ROOT, ratio < 10 ? "%.1f×" : "%.0f×", ratio);
    }

    private static String cpu(Double percent) {
        return percent == null ? "n/a" : String.format(Locale.ROOT, "%.0f %%", percent);
    }

    /** A Markdown table; cells may not hold a pipe. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();
        private final int columns;

        Table(String... headers) {
            this.columns = headers.length;
            rows.add(headers);
        }

        void row(String... cells) {
            if (cells.length != columns) {
                throw new IllegalArgumentException(columns + " cells expected, got " + cells.length);
            }
            rows.add(cells);
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < rows.size(); i++) {
                out.append("| ").append(String.join(" | ", escape(rows.get(i)))).append(" |\n");
                if (i == 0) {
                    out.append("|").append(" --- |".repeat(columns)).append('\n');
                }
            }
            return out.toString();
        }

        private static List<String> escape(String[] cells) {
            List<String> escaped = new ArrayList<>();
            for (String cell : cells) {
                escaped.add(cell == null ? "" : cell.replace("|", "\\|"));
            }
            return escaped;
        }
    }
}
