package dev.stagecoach.cli;

/** Prints an API problem the way people read compiler errors: one line each. */
final class Errors {

    private Errors() {
    }

    static int print(ApiClient.ApiException e) {
        System.err.println("error: " + e.getMessage());
        e.problems.forEach(p -> System.err.println("  " + p));
        if (e.status == 0) {
            return Stagecoach.UNREACHABLE;
        }
        return e.status == 400 ? Stagecoach.BAD_INPUT : Stagecoach.FAILED;
    }
}
