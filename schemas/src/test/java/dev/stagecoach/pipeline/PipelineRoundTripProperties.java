package dev.stagecoach.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
class PipelineRoundTripProperties {

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
                        stages.add(stage("s" + i, i, random, params, false));
                    }
                    List<StageSpec> finallyStages = new ArrayList<>();
                    for (int i = 0; i < finallyCount; i++) {
                        finallyStages.add(stage("f" + i, 0, random, params, true));
                    }
                    Map<NotificationEvent, List<NotificationTarget>> notifications = new EnumMap<>(NotificationEvent.class);
                    if (random.nextBoolean()) {
                        notifications.put(NotificationEvent.ON_FAILURE, List.of(new NotificationTarget(
                                NotificationTarget.Channel.WEBHOOK, "http://hooks.example.com/" + random.nextInt(100))));
                    }
                    return new PipelineDefinition("generated-" + Math.abs(seed % 1000), "1." + random.nextInt(9) + ".0",
                            random.nextBoolean() ? "" : "a generated pipeline", type, params, options, stages, finallyStages,
                            notifications);
                });
    }

    private static Arbitrary<ParameterSpec> parameter() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2).ofMaxLength(8);
        return Combinators.combine(names, Arbitraries.of(ParameterType.STRING, ParameterType.INTEGER, ParameterType.ENUM),
                        Arbitraries.integers().between(0, 50), Arbitraries.of(true, false))
                .as((name, type, n, secret) -> switch (type) {
                    case INTEGER -> new ParameterSpec(name, type, false, String.valueOf(n), List.of(), "0", "50", null, "", false);
                    case ENUM -> new ParameterSpec(name, type, false, "b", List.of("a", "b", "c"), null, null, null, "", false);
                    default -> new ParameterSpec(name, type, !secret && n % 2 == 0, secret ? "v" + n : null, List.of(), null, null,
                            "[a-z0-9]*", "what " + name + " means", secret);
                });
    }

    private static Arbitrary<Options> options() {
        return Combinators.combine(Arbitraries.integers().between(1, 16), Arbitraries.integers().between(1, 7200), retry())
                .as((workers, seconds, retry) -> new Options(workers, Duration.ofSeconds(seconds), retry));
    }

    private static Arbitrary<RetryPolicy> retry() {
        return Combinators.combine(Arbitraries.integers().between(1, 20), Arbitraries.of(RetryPolicy.Backoff.class),
                        Arbitraries.integers().between(0, 3600), Arbitraries.integers().between(0, 3600))
                .as((attempts, backoff, initial, extra) -> new RetryPolicy(attempts, backoff, Duration.ofSeconds(initial),
                        Duration.ofSeconds(initial + extra)));
    }

    private static StageSpec stage(String name, int index, java.util.Random random, List<ParameterSpec> params, boolean isFinally) {
        List<String> needs = new ArrayList<>();
        for (int i = 0; i < index && !isFinally; i++) {
            if (random.nextInt(3) == 0) {
                needs.add("s" + i);
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            env.put("MODE", "m" + random.nextInt(5));
        }
        boolean usesKind = random.nextInt(4) == 0;
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
        String when = params.isEmpty() || random.nextBoolean() ? null
                : "params." + params.get(0).name() + " != 'x' && run.id != ''";
        List<Gate> gates = random.nextBoolean() ? List.of()
                : List.of(new Gate("coverage", 80.0, null, Gate.Severity.FAIL), new Gate("p99", null, 250.5, Gate.Severity.WARN));
        return new StageSpec(name, needs, usesKind ? null : "echo " + name, usesKind ? "noop" : null, env,
                random.nextBoolean() ? StageSpec.DEFAULT_POOL : "gpu", Duration.ofSeconds(1 + random.nextInt(3600)),
                random.nextBoolean(), retry, approval, fanout, rollback, onFailure, when, gates);
    }
}
