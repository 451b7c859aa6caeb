package dev.stagecoach.cli;

import picocli.CommandLine.Option;

/**
 * Where the scheduler listens (--server, else STAGECOACH_SERVER, else the local stack, else
 * localhost:8080) and the token to show it (--token, else STAGECOACH_TOKEN, else the local stack's).
 */
final class ServerOption {

    @Option(names = "--server", description = "Scheduler URL (default: $STAGECOACH_SERVER, the running local stack, or http://127.0.0.1:8080)")
    String server;

    @Option(names = "--token", description = "API token (default: $STAGECOACH_TOKEN, or the running local stack's own)")
    String token;

    ApiClient client() {
        return new ApiClient(url(), token());
    }

    String token() {
        if (token != null) {
            return token;
        }
        String env = System.getenv("STAGECOACH_TOKEN");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return new StackFile(Stagecoach.stackDir()).read().map(StackFile.Contents::token).orElse(null);
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
