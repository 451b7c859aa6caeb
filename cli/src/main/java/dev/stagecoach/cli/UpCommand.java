package dev.stagecoach.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "up", description = "Start a local stack (Kafka broker and the three services) that keeps running; stop it with `down`.")
final class UpCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        if (new StackFile(Stagecoach.stackDir()).read().isPresent()) {
            System.err.println("a local stack already runs (" + Stagecoach.stackDir() + "); stop it with `stagecoach down`");
            return Stagecoach.FAILED;
        }
        LocalStack stack = new LocalStack(Stagecoach.home(), Stagecoach.stackDir());
        try {
            stack.start();
        } catch (RuntimeException e) {
            stack.close();
            System.err.println("error: " + e.getMessage());
            return Stagecoach.FAILED;
        }
        System.out.println("Kafka      " + stack.bootstrapServers());
        System.out.println("scheduler  " + stack.schedulerUrl() + "  (API under /api, health /q/health, metrics /q/metrics)");
        System.out.println("logs       " + stack.logsDir());
        System.out.println("stop with  ./stagecoach down");
        return Stagecoach.OK;
    }
}
