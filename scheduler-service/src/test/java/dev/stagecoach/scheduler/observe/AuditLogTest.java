package dev.stagecoach.scheduler.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.stagecoach.events.AuditAction;
import dev.stagecoach.events.AuditEntry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditLogTest {

    private static final Instant T0 = Instant.parse("2026-12-03T06:00:00Z");

    @Test
    void entriesComeNewestFirstFilteredBySinceAndPipelineUpToTheLimit() {
        AuditLog log = new AuditLog(100);
        log.read(entry(0, "release-web", AuditAction.REGISTER));
        log.read(entry(1, "nightly", AuditAction.START));
        log.read(entry(2, "release-web", AuditAction.START));
        log.read(entry(3, "release-web", AuditAction.CANCEL));

        assertThat(log.newest(null, null, 10)).extracting(AuditEntry::getAction)
                .containsExactly(AuditAction.CANCEL, AuditAction.START, AuditAction.START, AuditAction.REGISTER);
        assertThat(log.newest(null, "release-web", 2)).extracting(AuditEntry::getAction)
                .containsExactly(AuditAction.CANCEL, AuditAction.START);
        assertThat(log.newest(T0.plusSeconds(1), null, 10)).extracting(AuditEntry::getPipeline)
                .containsExactly("release-web", "release-web", "nightly");
    }

    @Test
    void onlyTheNewestEntriesAreKept() {
        AuditLog log = new AuditLog(3);
        for (int i = 0; i < 5; i++) {
            log.read(entry(i, "p" + i, AuditAction.START));
        }

        assertThat(log.newest(null, null, 10)).extracting(AuditEntry::getPipeline).containsExactly("p4", "p3", "p2");
    }

    @Test
    void anActionWrittenTwiceIsKeptOnceAsItsFirstRecordAndEntriesWithoutAnIdEachCount() {
        AuditLog log = new AuditLog(100);
        log.read(entry(0, "release-web", AuditAction.START, "START:run-1"));
        log.read(entry(1, "release-web", AuditAction.CANCEL, null));
        log.read(entry(2, "release-web", AuditAction.START, "START:run-1"));
        log.read(entry(3, "release-web", AuditAction.CANCEL, null));

        assertThat(log.newest(null, null, 10)).extracting(AuditEntry::getAction, AuditEntry::getAt).containsExactly(
                tuple(AuditAction.CANCEL, T0.plusSeconds(3)), tuple(AuditAction.CANCEL, T0.plusSeconds(1)),
                tuple(AuditAction.START, T0));
    }

    @Test
    void anIdDroppedWithItsEntryFromMemoryIsForgottenWithIt() {
        AuditLog log = new AuditLog(2);
        log.read(entry(0, "p", AuditAction.START, "START:run-1"));
        log.read(entry(1, "p", AuditAction.START, "START:run-2"));
        log.read(entry(2, "p", AuditAction.START, "START:run-3"));
        log.read(entry(3, "p", AuditAction.START, "START:run-1"));

        assertThat(log.newest(null, null, 10)).extracting(AuditEntry::getId).containsExactly("START:run-1", "START:run-3");
    }

    @Test
    void aCallerLimitedToSomePipelinesGetsTheLimitOfTheirEntries() {
        AuditLog log = new AuditLog(100);
        log.read(entry(0, "release-web", AuditAction.REGISTER));
        log.read(entry(1, "release-api", AuditAction.START));
        log.read(entry(2, "nightly", AuditAction.START));
        log.read(entry(3, "nightly", AuditAction.CANCEL));

        assertThat(log.newest(null, null, pipeline -> pipeline.startsWith("release-"), 2)).extracting(AuditEntry::getPipeline)
                .containsExactly("release-api", "release-web");
        assertThat(log.newest(null, "nightly", pipeline -> pipeline.startsWith("release-"), 10)).isEmpty();
    }

    private static AuditEntry entry(int second, String pipeline, AuditAction action, String id) {
        return AuditEntry.newBuilder(entry(second, pipeline, action)).setId(id).build();
    }

    private static AuditEntry entry(int second, String pipeline, AuditAction action) {
        return AuditEntry.newBuilder().setAt(T0.plusSeconds(second)).setAction(action).setPipeline(pipeline).setBy("alice").build();
    }
}
