package dev.stagecoach.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;

@Command(name = "down", description = "Stop the local stack started by `up`.")
final class DownCommand implements Callable<Integer> {

    private static final Duration GRACE = Duration.ofSeconds(15);

    @Override
    public Integer call() {
        StackFile file = new StackFile(Stagecoach.stackDir());
        var stack = file.read();
        if (stack.isEmpty()) {
            System.out.println("no local stack runs");
            return Stagecoach.OK;
        }
        List<String> names = new ArrayList<>(stack.get().pids().keySet());
        Collections.reverse(names);
        for (String name : names) {
            ProcessHandle.of(stack.get().pids().get(name)).ifPresent(process -> {
                process.destroy();
                try {
                    process.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    process.destroyForcibly();
                }
                System.out.println("stopped " + name);
            });
        }
        file.delete();
        return Stagecoach.OK;
    }
}
