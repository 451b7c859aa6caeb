package dev.stagecoach.notifier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the ids delivered before have been read back: until then the notifier delivers nothing. */
@Readiness
@ApplicationScoped
public class DeliveredLedgerReadiness implements HealthCheck {

    static final String NAME = "delivered notifications read back";

    private final KafkaDeliveredLedger ledger;

    @Inject
    public DeliveredLedgerReadiness(KafkaDeliveredLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public HealthCheckResponse call() {
        var loaded = ledger.ready().toCompletableFuture();
        boolean ready = loaded.isDone() && !loaded.isCompletedExceptionally();
        return HealthCheckResponse.named(NAME).status(ready).withData("ids", ledger.size()).build();
    }
}
