package dev.stagecoach.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "down", description = "Stop the local stack started by `up`.")
final class DownCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        StackFile file = new StackFile(Stagecoach.stackDir());
        var stack = file.read();
        if (stack.isEmpty()) {
            System.out.println("no local stack runs");
            return Stagecoach.OK;
        }
        Map<String, ProcessHandle> running = new LinkedHashMap<>();
        stack.get().pids().forEach((name, pid) -> ProcessHandle.of(pid).ifPresent(process -> running.put(name, process)));
        StackShutdown.stop(running, name -> System.out.println("stopped " + name));
        file.delete();
        return Stagecoach.OK;
    }
}
