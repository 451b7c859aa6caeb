package dev.stagecoach.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code stagecoach} command. Exit codes: 0 success, 1 the run or the file failed, 2 bad input, 3 cannot reach Stagecoach. */
@Command(name = "stagecoach", mixinStandardHelpOptions = true, versionProvider = Stagecoach.VersionProvider.class,
        description = "Pipelines on Apache Kafka: validate, run, watch and report.",
        // Inherited by every subcommand, so that each one's --help lists them.
        scope = CommandLine.ScopeType.INHERIT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success (a run that was waited for succeeded)",
            "1:a run failed, was cancelled or has not finished; a pipeline file is invalid; the server refused",
            "2:bad input: wrong options, parameters or filters",
            "3:the scheduler cannot be reached"},
        subcommands = {ValidateCommand.class, PlanCommand.class, RunCommand.class, StatusCommand.class, ReportCommand.class,
                RunsCommand.class, LogsCommand.class, PipelinesCommand.class,
                ControlCommands.Cancel.class, ControlCommands.Approve.class, ControlCommands.Reject.class,
                ControlCommands.Resume.class, AuditCommand.class, UpCommand.class, DownCommand.class, DemoCommand.class})
public final class Stagecoach implements Runnable {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;
    static final int UNREACHABLE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return new CommandLine(new Stagecoach()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The repository root: set by the ./stagecoach launcher, else the working directory. */
    static Path home() {
        return Path.of(System.getProperty("stagecoach.home", ".")).toAbsolutePath().normalize();
    }

    /** Where `up` keeps the local stack's state; the system property lets a test run a stack of its own beside a user's. */
    static Path stackDir() {
        String dir = System.getProperty("stagecoach.stack-dir");
        return dir != null ? Path.of(dir).toAbsolutePath() : home().resolve(".stagecoach/stack");
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"stagecoach " + Version.PROJECT};
        }
    }
}
