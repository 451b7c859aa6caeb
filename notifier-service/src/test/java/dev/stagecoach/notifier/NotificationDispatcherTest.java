package dev.stagecoach.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.events.Channel;
import dev.stagecoach.events.Notification;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class NotificationDispatcherTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HeldDeliveries webhooks = new HeldDeliveries();
    private final RecentlyDelivered ledger = new RecentlyDelivered(100);
    private final NotificationDispatcher dispatcher = new NotificationDispatcher(
            Map.of(Channel.WEBHOOK, webhooks), ledger, new DeliveryMetrics(registry));

    @Test
    void aNotificationDeliveredBeforeIsNotSentAgain() {
        CompletableFuture<DeliveryOutcome> first = dispatch(webhook("run-1:on_success:0"));
        webhooks.finish(0, new DeliveryOutcome.Delivered(1));

        CompletableFuture<DeliveryOutcome> again = dispatch(webhook("run-1:on_success:0"));

        assertThat(first).isCompletedWithValue(new DeliveryOutcome.Delivered(1));
        assertThat(again).isCompletedWithValue(new DeliveryOutcome.Duplicate());
        assertThat(webhooks.sent).hasSize(1);
        assertThat(count(DeliveryMetrics.DUPLICATES, "webhook")).isEqualTo(1.0);
        assertThat(count(DeliveryMetrics.DELIVERED, "webhook")).isEqualTo(1.0);
    }

    @Test
    void aDeliveryIsMarkedBegunWhileUnderWayAndTheMarkGoesWithItsEnd() {
        dispatch(webhook("run-10:on_start:0"));
        dispatch(webhook("run-10:on_failure:0"));

        assertThat(ledger.unfinishedSince("run-10:on_start:0")).isPresent();
        webhooks.finish(0, new DeliveryOutcome.Delivered(1));
        webhooks.finish(1, new DeliveryOutcome.GivenUp("webhook http://example.test/hook answered 404"));

        assertThat(ledger.unfinishedSince("run-10:on_start:0")).isEmpty();
        assertThat(ledger.unfinishedSince("run-10:on_failure:0")).isEmpty();
        assertThat(ledger.contains("run-10:on_start:0")).isTrue();
        assertThat(ledger.contains("run-10:on_failure:0")).isFalse();
        assertThat(webhooks.resumed).isEmpty();
    }

    @Test
    void aDeliveryAKilledNotifierBeganIsResumedThroughItsChannelAndWhatItFindsIsRecordedAsDelivered() {
        Instant begun = Instant.parse("2026-11-24T10:15:31Z");
        ledger.begun("run-11:on_success:0", begun);

        CompletableFuture<DeliveryOutcome> outcome = dispatch(webhook("run-11:on_success:0"));
        webhooks.finish(0, new DeliveryOutcome.FoundDelivered("webhook receiver"));

        assertThat(webhooks.sent).isEmpty();
        assertThat(webhooks.resumed).containsExactly(Map.entry("run-11:on_success:0", begun));
        assertThat(outcome).isCompletedWithValue(new DeliveryOutcome.FoundDelivered("webhook receiver"));
        assertThat(ledger.contains("run-11:on_success:0")).isTrue();
        assertThat(dispatch(webhook("run-11:on_success:0"))).isCompletedWithValue(new DeliveryOutcome.Duplicate());
        assertThat(count(DeliveryMetrics.RESUMED, "webhook")).isEqualTo(1.0);
        assertThat(count(DeliveryMetrics.DELIVERED, "webhook")).isEqualTo(1.0);
    }

    @Test
    void noAttemptIsMadeBeforeTheMarkThatItBeganIsKept() {
        HeldLedger held = new HeldLedger();
        held.beginKept = new CompletableFuture<>();
        held.loaded.complete(null);
        NotificationDispatcher durable = new NotificationDispatcher(Map.of(Channel.WEBHOOK, webhooks), held,
                new DeliveryMetrics(registry));

        durable.dispatch(webhook("run-12:on_start:0"));
        assertThat(held.begun).extracting(Notification::getDedupeId).containsExactly("run-12:on_start:0");
        assertThat(webhooks.sent).isEmpty();

        held.beginKept.complete(null);
        assertThat(webhooks.sent).hasSize(1);
    }

    @Test
    void aCopyArrivingWhileTheFirstIsUnderWayWaitsForItAndSendsNothing() {
        CompletableFuture<DeliveryOutcome> first = dispatch(webhook("run-2:on_start:0"));
        CompletableFuture<DeliveryOutcome> copy = dispatch(webhook("run-2:on_start:0"));

        assertThat(copy).isNotDone();
        webhooks.finish(0, new DeliveryOutcome.Delivered(2));

        assertThat(first).isCompletedWithValue(new DeliveryOutcome.Delivered(2));
        assertThat(copy).isCompletedWithValue(new DeliveryOutcome.Duplicate());
        assertThat(webhooks.sent).hasSize(1);
    }

    @Test
    void aNotificationGivenUpIsTriedAgainWhenItComesAgain() {
        dispatch(webhook("run-3:on_failure:0"));
        webhooks.finish(0, new DeliveryOutcome.GivenUp("webhook http://example.test/hook answered 500 after 5 attempts"));

        CompletableFuture<DeliveryOutcome> again = dispatch(webhook("run-3:on_failure:0"));
        webhooks.finish(1, new DeliveryOutcome.Delivered(1));

        assertThat(again).isCompletedWithValue(new DeliveryOutcome.Delivered(1));
        assertThat(webhooks.sent).hasSize(2);
        assertThat(count(DeliveryMetrics.DEAD_LETTERED, "webhook")).isEqualTo(1.0);
    }

    @Test
    void differentDedupeIdsAreDeliveredIndependently() {
        dispatch(webhook("run-4:on_start:0"));
        dispatch(webhook("run-4:on_success:0"));

        assertThat(webhooks.sent).extracting(Notification::getDedupeId)
                .containsExactly("run-4:on_start:0", "run-4:on_success:0");
    }

    @Test
    void aChannelWithoutADeliveryIsGivenUpWithAReason() {
        Notification email = Notification.newBuilder(webhook("run-5:on_failure:0"))
                .setChannel(Channel.EMAIL).setTarget("ops@example.test").build();

        assertThat(dispatch(email)).isCompletedWithValue(new DeliveryOutcome.GivenUp(
                "channel EMAIL is not one notifier-service delivers to: the engine wrote a channel this notifier does not know"));
        assertThat(webhooks.sent).isEmpty();
        assertThat(count(DeliveryMetrics.DEAD_LETTERED, "email")).isEqualTo(1.0);
    }

    @Test
    void aDeliveryEndsOnlyOnceTheLedgerKeptItSoItsOffsetIsNeverCommittedBefore() {
        HeldLedger ledger = new HeldLedger();
        NotificationDispatcher durable = new NotificationDispatcher(Map.of(Channel.WEBHOOK, webhooks), ledger,
                new DeliveryMetrics(registry));
        ledger.loaded.complete(null);

        CompletableFuture<DeliveryOutcome> outcome = durable.dispatch(webhook("run-7:on_success:0")).toCompletableFuture();
        webhooks.finish(0, new DeliveryOutcome.Delivered(1));

        assertThat(outcome).isNotDone();
        assertThat(ledger.recorded).extracting(Notification::getDedupeId).containsExactly("run-7:on_success:0");
        ledger.kept.complete(null);
        assertThat(outcome).isCompletedWithValue(new DeliveryOutcome.Delivered(1));
    }

    @Test
    void nothingIsDeliveredBeforeTheLedgerHasReadWhatWasDeliveredBefore() {
        HeldLedger ledger = new HeldLedger();
        NotificationDispatcher durable = new NotificationDispatcher(Map.of(Channel.WEBHOOK, webhooks), ledger,
                new DeliveryMetrics(registry));

        CompletableFuture<DeliveryOutcome> outcome = durable.dispatch(webhook("run-8:on_start:0")).toCompletableFuture();
        assertThat(webhooks.sent).isEmpty();

        ledger.loaded.complete(null);
        assertThat(webhooks.sent).hasSize(1);
        webhooks.finish(0, new DeliveryOutcome.Delivered(1));
        ledger.kept.complete(null);
        assertThat(outcome).isCompletedWithValue(new DeliveryOutcome.Delivered(1));
    }

    @Test
    void aLedgerThatCannotBeReadStopsDeliveriesWithAReason() {
        HeldLedger ledger = new HeldLedger();
        NotificationDispatcher durable = new NotificationDispatcher(Map.of(Channel.WEBHOOK, webhooks), ledger,
                new DeliveryMetrics(registry));
        ledger.loaded.completeExceptionally(new IllegalStateException("topic unreadable"));

        CompletableFuture<DeliveryOutcome> outcome = durable.dispatch(webhook("run-9:on_start:0")).toCompletableFuture();

        assertThat(outcome.join()).isInstanceOf(DeliveryOutcome.GivenUp.class);
        assertThat(((DeliveryOutcome.GivenUp) outcome.join()).reason())
                .startsWith("notifier-service cannot read what it delivered before, so it delivers nothing")
                .contains("topic unreadable");
        assertThat(webhooks.sent).isEmpty();
    }

    @Test
    void aDeliveryThatBreaksIsGivenUpRatherThanLost() {
        CompletableFuture<DeliveryOutcome> outcome = dispatch(webhook("run-6:on_start:0"));
        webhooks.pending.get(0).completeExceptionally(new IllegalStateException("boom"));

        assertThat(outcome).isCompletedWithValue(new DeliveryOutcome.GivenUp(
                "delivery failed unexpectedly in notifier-service: java.lang.IllegalStateException: boom"));
    }

    private CompletableFuture<DeliveryOutcome> dispatch(Notification notification) {
        return dispatcher.dispatch(notification).toCompletableFuture();
    }

    private double count(String name, String channel) {
        return registry.counter(name, "channel", channel).count();
    }

    static Notification webhook(String dedupeId) {
        return Notification.newBuilder()
                .setDedupeId(dedupeId)
                .setRunId(dedupeId.substring(0, dedupeId.indexOf(':')))
                .setPipeline("nightly-build")
                .setEvent("on_success")
                .setChannel(Channel.WEBHOOK)
                .setTarget("http://example.test/hook")
                .setSubject("[stagecoach] nightly-build succeeded")
                .setBody("all stages succeeded")
                .setRunStatus("SUCCEEDED")
                .setCreatedAt(Instant.parse("2026-11-24T10:15:30.123Z"))
                .build();
    }

    /** A ledger that loads and keeps when the test says so. */
    private static final class HeldLedger implements DeliveredLedger {

        final CompletableFuture<Void> loaded = new CompletableFuture<>();
        final CompletableFuture<Void> kept = new CompletableFuture<>();
        final List<Notification> recorded = new CopyOnWriteArrayList<>();
        final List<Notification> begun = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> beginKept = CompletableFuture.completedFuture(null);

        @Override
        public CompletableFuture<Void> ready() {
            return loaded;
        }

        @Override
        public boolean contains(String dedupeId) {
            return recorded.stream().anyMatch(n -> n.getDedupeId().equals(dedupeId));
        }

        @Override
        public Optional<Instant> unfinishedSince(String dedupeId) {
            return Optional.empty();
        }

        @Override
        public CompletableFuture<Void> begin(Notification notification) {
            begun.add(notification);
            return beginKept;
        }

        @Override
        public CompletableFuture<Void> record(Notification delivered) {
            recorded.add(delivered);
            return kept;
        }

        @Override
        public CompletableFuture<Void> forget(Notification givenUp) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Deliveries that finish when the test says so. */
    private static final class HeldDeliveries implements ChannelDelivery {

        final List<Notification> sent = new CopyOnWriteArrayList<>();
        final List<Map.Entry<String, Instant>> resumed = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<DeliveryOutcome>> pending = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<DeliveryOutcome> deliver(Notification notification) {
            sent.add(notification);
            return held();
        }

        @Override
        public CompletableFuture<DeliveryOutcome> deliverAgain(Notification notification, Instant begun) {
            resumed.add(Map.entry(notification.getDedupeId(), begun));
            return held();
        }

        private CompletableFuture<DeliveryOutcome> held() {
            CompletableFuture<DeliveryOutcome> outcome = new CompletableFuture<>();
            pending.add(outcome);
            return outcome;
        }

        void finish(int index, DeliveryOutcome outcome) {
            pending.get(index).complete(outcome);
        }
    }
}
