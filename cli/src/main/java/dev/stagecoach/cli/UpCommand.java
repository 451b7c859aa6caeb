package dev.stagecoach.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "up",
        description = "Start a local stack (Kafka broker, scheduler, notifier and workers, one default worker unless --workers says otherwise) that keeps running; stop it with `down`.")
final class UpCommand implements Callable<Integer> {

    static final String WORKERS_HELP = "Worker processes per pool, e.g. default=2,gpu=1: a stage with `pool: gpu` runs on a gpu worker."
            + " Pools not named keep their count: one default worker, none of any other pool; default=0 starts none.";

    @Option(names = WorkerPools.OPTION, paramLabel = "POOL=COUNT[,POOL=COUNT...]", description = WORKERS_HELP)
    String workers;

    @Override
    public Integer call() {
        WorkerPools pools;
        try {
            pools = WorkerPools.parse(workers);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return Stagecoach.BAD_INPUT;
        }
        if (new StackFile(Stagecoach.stackDir()).read().isPresent()) {
            System.err.println("a local stack already runs (" + Stagecoach.stackDir() + "); stop it with `stagecoach down`");
            return Stagecoach.FAILED;
        }
        LocalStack stack = new LocalStack(Stagecoach.home(), Stagecoach.stackDir()).withWorkers(pools).withNotifierSettings(System.getenv());
        try {
            stack.start();
        } catch (RuntimeException e) {
            stack.close();
            System.err.println("error: " + e.getMessage());
            return Stagecoach.FAILED;
        }
        System.out.println("Kafka      " + stack.bootstrapServers());
        System.out.println("dashboard  " + stack.schedulerUrl() + "/#token=" + stack.token() + "  (signs you in as admin for this browser session)");
        System.out.println("scheduler  " + stack.schedulerUrl() + "  (API under /api, health /q/health, metrics /q/metrics)");
        System.out.println("workers    " + String.join(", ", stack.workerNames()) + "  (" + pools + ")");
        System.out.println("notifier   delivers to " + LocalStack.channelsConfigured(stack.notifierSettings())
                + "  (set QUARKUS_MAILER_*, STAGECOACH_NOTIFIER_* before `up` for the others; README, Notifications)");
        System.out.println("logs       " + stack.logsDir());
        System.out.println("stop with  ./stagecoach down");
        return Stagecoach.OK;
    }
}
