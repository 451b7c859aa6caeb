package dev.stagecoach.cli;

import picocli.CommandLine.Option;

/** Where the scheduler listens: --server, else STAGECOACH_SERVER, else the local stack, else localhost:8080. */
final class ServerOption {

    @Option(names = "--server", description = "Scheduler URL (default: $STAGECOACH_SERVER, the running local stack, or http://127.0.0.1:8080)")
    String server;

    ApiClient client() {
        return new ApiClient(url());
    }

    String url() {
        if (server != null) {
            return server;
        }
        String env = System.getenv("STAGECOACH_SERVER");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return new StackFile(Stagecoach.stackDir()).read()
                .map(stack -> "http://127.0.0.1:" + stack.ports().get(LocalStack.SCHEDULER))
                .orElse("http://127.0.0.1:8080");
    }
}
