package dev.stagecoach.scheduler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagecoach.scheduler.cluster.RunRouting.Access;
import java.util.Set;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class RunRoutingTest {

    static final HostInfo SELF = new HostInfo("sched-a", 8080);
    static final HostInfo OTHER = new HostInfo("sched-b", 8080);
    final RunRouting routing = new RunRouting(SELF);

    @Test
    void runOwnedHereIsReadFromTheLocalStoreOfItsPartition() {
        assertThat(routing.route("r-1", new KeyQueryMetadata(SELF, Set.of(OTHER), 3), null, Access.READ))
                .isEqualTo(new RunRouting.Local(3));
    }

    @Test
    void runOwnedElsewhereIsForwardedToItsOwner() {
        assertThat(routing.route("r-1", new KeyQueryMetadata(OTHER, Set.of(SELF), 2), null, Access.CHANGE))
                .isEqualTo(new RunRouting.Forward(OTHER, 2));
    }

    @Test
    void forwardedRequestIsNeverForwardedAgain() {
        RunRouting.Route route = routing.route("r-1", new KeyQueryMetadata(OTHER, Set.of(), 2), "sched-b-8080", Access.CHANGE);

        assertThat(route).isInstanceOf(RunRouting.Unavailable.class);
        assertThat(((RunRouting.Unavailable) route).why())
                .contains("forwarded here by sched-b-8080", "sees sched-b:8080 as its owner", "ownership is moving");
    }

    @Test
    void forwardedReadIsAnsweredFromAStandbyCopyHereSayingSo() {
        RunRouting.Route route = routing.route("r-1", new KeyQueryMetadata(OTHER, Set.of(SELF), 2), "sched-b-8080", Access.READ);

        assertThat(route).isInstanceOf(RunRouting.Standby.class);
        assertThat(((RunRouting.Standby) route).partition()).isEqualTo(2);
        assertThat(((RunRouting.Standby) route).why()).contains("standby copy", "may lag");
    }

    @Test
    void unknownOwnerDuringARebalanceIsNamedAsSuch() {
        RunRouting.Route route = routing.route("r-1", KeyQueryMetadata.NOT_AVAILABLE, null, Access.READ);

        assertThat(route).isInstanceOf(RunRouting.Unavailable.class);
        assertThat(((RunRouting.Unavailable) route).why()).contains("no scheduler instance owns run r-1", "rebalancing", "try again");
    }

    @Test
    void unavailableActiveHostCountsAsUnknown() {
        assertThat(routing.route("r-1", new KeyQueryMetadata(HostInfo.unavailable(), Set.of(), 0), null, Access.CHANGE))
                .isInstanceOf(RunRouting.Unavailable.class);
    }

    @Test
    void unreachableOwnerLeavesReadsToAStandbyCopyAndRefusesChanges() {
        KeyQueryMetadata owner = new KeyQueryMetadata(OTHER, Set.of(SELF), 1);

        assertThat(routing.ownerUnreachable("r-1", owner, "ConnectException", Access.READ)).isInstanceOf(RunRouting.Standby.class);
        RunRouting.Route change = routing.ownerUnreachable("r-1", owner, "ConnectException", Access.CHANGE);
        assertThat(change).isInstanceOf(RunRouting.Unavailable.class);
        assertThat(((RunRouting.Unavailable) change).why())
                .contains("owns run r-1, sched-b:8080, does not answer (ConnectException)", "within the session timeout");
    }

    @Test
    void unreachableOwnerWithoutAStandbyHereIsUnavailableForReadsToo() {
        KeyQueryMetadata owner = new KeyQueryMetadata(OTHER, Set.of(new HostInfo("sched-c", 8080)), 1);

        assertThat(routing.ownerUnreachable("r-1", owner, "timed out", Access.READ)).isInstanceOf(RunRouting.Unavailable.class);
    }
}
