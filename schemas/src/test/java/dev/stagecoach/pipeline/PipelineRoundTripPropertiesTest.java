package dev.stagecoach.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any valid definition survives write → load unchanged: the writer and the loader agree on the language. */
class PipelineRoundTripPropertiesTest {

    @Property(tries = 300)
    void definitionSurvivesWriteThenLoad(@ForAll("definitions") PipelineDefinition definition) {
        String yaml = PipelineWriter.write(definition);
        LoadResult loaded = PipelineLoader.load(yaml, "generated.yaml");
        assertThat(loaded.errors()).as(yaml).isEmpty();
        assertThat(loaded.orThrow()).as(yaml).isEqualTo(definition);
    }

    @Provide
    Arbitrary<PipelineDefinition> definitions() {
        Arbitrary<List<ParameterSpec>> parameters = parameter().list().ofMaxSize(3).uniqueElements(ParameterSpec::name);
        return Combinators.combine(Arbitraries.of(PipelineType.class), parameters, options(),
                        Arbitraries.integers().between(1, 5), Arbitraries.integers().between(0, 2),
                        Arbitraries.randomValue(random -> random.nextLong()))
                .as((type, params, options, stageCount, finallyCount, seed) -> {
                    java.util.Random random = new java.util.Random(seed);
                    List<StageSpec> stages = new ArrayList<>();
                    for (int i = 0; i < stageCount; i++) {
                        stages.add(stage("s" + i, stages, random, params, false));
                    }
                    List<StageSpec> finallyStages = new ArrayList<>();
                    for (int i = 0; i < finallyCount; i++) {
                        finallyStages.add(stage("f" + i, stages, random, params, true));
                    }
                    Map<NotificationEvent, List<NotificationTarget>> notifications = new EnumMap<>(NotificationEvent.class);
                    if (random.nextBoolean()) {
                        notifications.put(NotificationEvent.ON_FAILURE, List.of(new NotificationTarget(
                                NotificationTarget.Channel.WEBHOOK, "http://hooks.example.com/" + random.nextInt(100))));
                    }
                    return new PipelineDefinition("generated-" + Math.abs(seed % 1000), "1." + random.nextInt(9) + ".0",
                            random.nextBoolean() ? "" : "a generated pipeline", type, params, options, stages, finallyStages,
                            notifications, triggers(random, params));
                });
    }

    private static final List<String> ZONES = List.of("UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata");

    private static List<Trigger> triggers(java.util.Random random, List<ParameterSpec> params) {
        List<Trigger> triggers = new ArrayList<>();
        if (random.nextInt(3) == 0) {
            return triggers;
        }
        if (random.nextBoolean()) {
            triggers.add(Trigger.MANUAL);
        }
        Map<String, String> webhookParams = new LinkedHashMap<>();
        params.stream().filter(p -> random.nextBoolean() || (p.required() && p.defaultValue() == null))
                .forEach(p -> webhookParams.put(p.name(), "v${{ payload.release.tag }}-${{ payload.n }}"));
        if (random.nextBoolean()) {
            triggers.add(new Trigger.Webhook("HOOK_" + random.nextInt(9), webhookParams));
        }
        // Runs started by a clock, an event or a metric get no parameters, so every required one needs a default.
        if (params.stream().noneMatch(p -> p.required() && p.defaultValue() == null)) {
            if (random.nextBoolean()) {
                triggers.add(new Trigger.Cron(CronSchedule.parse(pick(random, "*", "0", "*/15", "5,35", "10-40/10") + " "
                        + pick(random, "*", "3", "1-5", "*/6") + " " + pick(random, "*", "1", "1,15", "10-20") + " "
                        + pick(random, "*", "JAN", "1-6", "*/3") + " " + pick(random, "*", "MON-FRI", "0", "7", "SUN,SAT")),
                        ZoneId.of(ZONES.get(random.nextInt(ZONES.size())))));
            }
            if (random.nextBoolean()) {
                triggers.add(new Trigger.Event("deployments." + random.nextInt(5),
                        random.nextBoolean() ? null : "event.type == 'build_finished' && event.branch != 'x'"));
            }
            if (random.nextBoolean()) {
                double threshold = random.nextBoolean() ? random.nextInt(5000) : random.nextDouble() * 1e4 - 5000;
                triggers.add(new Trigger.Conditional("queue.depth", Trigger.Conditional.COMPARISONS.get(random.nextInt(6)),
                        threshold, Duration.ofSeconds(random.nextInt(3600))));
            }
        }
        return triggers;
    }

    private static String pick(java.util.Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static Arbitrary<ParameterSpec> parameter() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2).ofMaxLength(8);
        return Combinators.combine(names, Arbitraries.of(ParameterType.STRING, ParameterType.INTEGER, ParameterType.ENUM),
                        Arbitraries.integers().between(0, 50), Arbitraries.of(true, false))
                .as((name, type, n, secret) -> switch (type) {
                    case INTEGER -> new ParameterSpec(name, type, false, String.valueOf(n), List.of(), "0", "50", null, "", false);
                    case ENUM -> new ParameterSpec(name, type, false, "b", List.of("a", "b", "c"), null, null, null, "", false);
                    default -> new ParameterSpec(name, type, !secret && n % 2 == 0, null, List.of(), null, null,
                            "[a-z0-9]*", "what " + name + " means", secret);
                });
    }

    private static Arbitrary<Options> options() {
        return Combinators.combine(Arbitraries.integers().between(1, 16), Arbitraries.integers().between(1, 7200), retry())
                .as((workers, seconds, retry) -> new Options(workers, Duration.ofSeconds(seconds), retry));
    }

    private static Arbitrary<RetryPolicy> retry() {
        return Combinators.combine(Arbitraries.integers().between(1, 20), Arbitraries.of(RetryPolicy.Backoff.class),
                        Arbitraries.integers().between(0, 3600), Arbitraries.integers().between(0, 3600),
                        Arbitraries.oneOf(Arbitraries.just(0.0), Arbitraries.just(1.0), Arbitraries.doubles().between(0, 1)))
                .as((attempts, backoff, initial, extra, jitter) -> new RetryPolicy(attempts, backoff, Duration.ofSeconds(initial),
                        Duration.ofSeconds(initial + extra), jitter));
    }

    /** @param before the main stages declared before this one; a finally stage comes after all of them */
    private static StageSpec stage(String name, List<StageSpec> before, java.util.Random random, List<ParameterSpec> params,
            boolean isFinally) {
        List<String> needs = new ArrayList<>();
        for (int i = 0; i < before.size() && !isFinally; i++) {
            if (random.nextInt(3) == 0) {
                needs.add("s" + i);
            }
        }
        // A stage reads only stages it waits for: what it needs, or anything when it is a finally stage.
        List<StageSpec> readable = before.stream().filter(s -> isFinally || needs.contains(s.name())).toList();
        Map<String, String> env = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            env.put("MODE", "m" + random.nextInt(5));
        }
        if (!params.isEmpty() && random.nextBoolean()) {
            env.put("FROM_PARAM", "${{ params." + params.get(0).name() + " }}");
        }
        readable.stream().filter(s -> !s.outputs().isEmpty()).findFirst().ifPresent(s ->
                env.put("FROM_" + s.name().toUpperCase(java.util.Locale.ROOT), "${{ stages." + s.name() + ".outputs." + s.outputs().get(0) + " }}"));
        if (random.nextInt(4) == 0) {
            env.put("TOKEN", "${{ secrets.API_TOKEN }}");
        }
        String kind = random.nextInt(4) != 0 ? null : pick(random, "noop", "http", "load-test");
        boolean usesKind = kind != null;
        Map<String, String> with = new LinkedHashMap<>();
        if ("http".equals(kind)) {
            with.put("url", "https://example.com/runs/${{ run.id }}");
            if (random.nextBoolean()) {
                with.put("method", pick(random, "GET", "POST", "PUT", "PATCH", "DELETE"));
            }
            if (random.nextBoolean()) {
                with.put("headers", "Authorization: Bearer ${{ secrets.API_TOKEN }}\nX-Run: ${{ run.pipeline }}");
            }
            if (random.nextBoolean()) {
                with.put("body", "{\"stage\": \"" + name + "\"}");
            }
            if (random.nextBoolean()) {
                with.put("expect_status", pick(random, "200", "200,201", "204"));
            }
        } else if ("load-test".equals(kind)) {
            with.put("users", String.valueOf(random.nextInt(100)));
            if (!readable.isEmpty()) {
                with.put("after", "${{ stages." + readable.get(0).name() + ".status }}");
            }
        }
        RetryPolicy retry = random.nextBoolean() ? null
                : new RetryPolicy(1 + random.nextInt(3), RetryPolicy.Backoff.LINEAR, Duration.ofSeconds(1), Duration.ofSeconds(9));
        Fanout fanout = isFinally || random.nextInt(3) != 0 ? null
                : random.nextBoolean() ? new Fanout(2 + random.nextInt(4), Map.of())
                : new Fanout(0, new LinkedHashMap<>(Map.of("os", List.of("linux", "mac"))));
        ManualApproval approval = isFinally || fanout != null || random.nextInt(4) != 0 ? null
                : new ManualApproval(random.nextBoolean() ? List.of() : List.of("alice"),
                        random.nextBoolean() ? null : Duration.ofMinutes(30));
        String rollback = random.nextBoolean() ? "undo " + name : null;
        OnFailure onFailure = rollback != null && random.nextBoolean() ? OnFailure.ROLLBACK_AND_RETRY
                : random.nextBoolean() ? OnFailure.RETRY : OnFailure.ABORT;
        // A condition cannot read a secret parameter: the scheduler never sees its value.
        List<ParameterSpec> plain = params.stream().filter(p -> !p.secret()).toList();
        String when = plain.isEmpty() || random.nextBoolean() ? null
                : "params." + plain.get(0).name() + " != 'x' && run.id != ''"
                        + (readable.isEmpty() ? "" : " && stages." + readable.get(0).name() + ".metrics.coverage >= 80");
        List<Gate> gates = random.nextBoolean() ? List.of()
                : List.of(new Gate("coverage", 80.0, null, Gate.Severity.FAIL), new Gate("p99", null, 250.5, Gate.Severity.WARN));
        List<String> outputs = fanout != null || random.nextBoolean() ? List.of() : List.of("out", "digest-" + random.nextInt(3));
        List<String> artifacts = random.nextBoolean() ? List.of() : List.of("dist/*.tar.gz", "reports/" + name + "/**");
        Map<String, Aggregation> aggregate = new LinkedHashMap<>();
        if (fanout != null && random.nextBoolean()) {
            aggregate.put("duration_s", Aggregation.MAX);
            aggregate.put("coverage", Aggregation.values()[random.nextInt(Aggregation.values().length)]);
        }
        return new StageSpec(name, needs, usesKind ? null : "echo " + name, kind, env,
                random.nextBoolean() ? StageSpec.DEFAULT_POOL : "gpu", Duration.ofSeconds(1 + random.nextInt(3600)),
                random.nextBoolean(), retry, approval, fanout, rollback, onFailure, when, gates, with, outputs, artifacts, aggregate,
                random.nextBoolean() ? null : Duration.ofSeconds(1 + random.nextInt(600)));
    }
}
