package dev.stagecoach.scheduler.triggers;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Down once the event trigger feed has stopped: only a restart of the service brings event triggers back. */
@Liveness
@ApplicationScoped
public class EventTriggersHealth implements HealthCheck {

    @Inject
    EventTriggers eventTriggers;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("event triggers").status(eventTriggers.alive())
                .withData("topics", String.join(",", eventTriggers.reading())).build();
    }
}
