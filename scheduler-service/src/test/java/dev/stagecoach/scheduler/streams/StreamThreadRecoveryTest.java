package dev.stagecoach.scheduler.streams;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadRecoveryTest {

    @Test
    void aThreadThatDiedOfABrokerRestartMidTransactionIsReplacedNotTheClientShutDown() {
        StreamsException died = new StreamsException("Error encountered trying to commit a transaction",
                new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state."));

        assertThat(new StreamThreadRecovery().handle(died)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
}
