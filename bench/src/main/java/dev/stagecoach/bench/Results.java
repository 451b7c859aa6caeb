package dev.stagecoach.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one bench run measured, filled in section by section; null where a section did not run. */
final class Results {

    /** Resident memory and CPU of the processes over a quiet stretch. */
    record Quiet(ProcStats.CpuShare cpu, ProcStats.Reading reading, long runsHeld, long runsFailed, long stateBytes) {
    }

    String command;
    Instant startedAt;
    Duration took;
    String loadBefore;
    String loadAfter;
    ProcStats.CpuShare wholeRun;
    final Map<String, String> machine = new LinkedHashMap<>();
    final Map<String, String> settings = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();

    FloorBench.Floor floor;
    HandoffBench.Handoff handoff;
    HandoffBench.Handoff probedHandoff;
    PeerWorkloadBench.Peers peers;
    NotificationBench.Notifications notifications;
    final List<ThroughputBench.Phase> phases = new ArrayList<>();
    FanoutBench.Fanout fanout;
    Quiet idle;
    Quiet filled;
    /** After the footprint's fill: runs the engine still holds, and runs it forgot after the retention. */
    BenchKafka.RunsOnTopic runsAfterFill;
    String retention = "7d (the default)";
    boolean filledToTarget;
    final List<Profiler.Profile> profiles = new ArrayList<>();
    long fillTarget;
    final List<FailoverBench.Failover> failovers = new ArrayList<>();
}
