package dev.stagecoach.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A person's instructions to a run: cancel, approve, reject, resume. */
final class ControlCommands {

    private ControlCommands() {
    }

    /** What every instruction shares: the run, who gives it, an optional comment, the server. */
    abstract static class Instruction implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "RUN")
        String runId;

        @Option(names = "--by", description = "Who gives the instruction (default: the current user)")
        String by = System.getProperty("user.name", "cli");

        @Option(names = {"-m", "--comment"}, description = "Why; recorded with the run")
        String comment;

        @Mixin
        ServerOption server;

        abstract String action();

        String stage() {
            return null;
        }

        @Override
        public Integer call() {
            try {
                server.client().control(runId, action(), stage(), by, comment);
                System.out.println(action() + (stage() == null ? "" : " " + stage()) + " requested for run " + runId + " by " + by);
                return Stagecoach.OK;
            } catch (ApiClient.ApiException e) {
                return Errors.print(e);
            }
        }
    }

    @Command(name = "cancel", description = "Cancel a run: running stages are killed, finally stages run, the run ends CANCELLED.")
    static final class Cancel extends Instruction {
        @Override
        String action() {
            return "cancel";
        }
    }

    @Command(name = "resume", description = "Run a FAILED or CANCELLED run again: succeeded stages are kept, the others run anew.")
    static final class Resume extends Instruction {
        @Override
        String action() {
            return "resume";
        }
    }

    /** Approve or reject name a stage that waits for approval. */
    abstract static class StageDecision extends Instruction {

        @Parameters(index = "1", paramLabel = "STAGE")
        String stage;

        @Override
        String stage() {
            return stage;
        }
    }

    @Command(name = "approve", description = "Approve a stage that waits for approval.")
    static final class Approve extends StageDecision {
        @Override
        String action() {
            return "approve";
        }
    }

    @Command(name = "reject", description = "Reject a stage that waits for approval; a critical stage fails the run.")
    static final class Reject extends StageDecision {
        @Override
        String action() {
            return "reject";
        }
    }
}
