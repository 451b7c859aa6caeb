package dev.stagecoach.scheduler.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the engine's stream thread runs: before that its stores cannot answer,
 * so a load balancer (or the local stack) must not send requests yet.
 */
@Readiness
@ApplicationScoped
public class EngineReadiness implements HealthCheck {

    @Inject
    KafkaStreams streams;

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        return HealthCheckResponse.named("run engine").status(state == KafkaStreams.State.RUNNING)
                .withData("state", state.name()).build();
    }
}
