package dev.stagecoach.scheduler.api.auth;

/** Who made a request: the token's name, its role and the pipelines it may reach. */
public record Caller(String name, Role role, PipelineScope scope) {

    public Caller(String name, Role role) {
        this(name, role, PipelineScope.EVERY_PIPELINE);
    }

    public boolean reaches(String pipeline) {
        return scope.covers(pipeline);
    }

    /** @throws OutOfScopeException when this token's scope does not cover {@code pipeline} */
    public void requireReach(String pipeline) {
        if (!reaches(pipeline)) {
            throw new OutOfScopeException("token \"" + name + "\" is limited to pipelines " + scope.describe()
                    + "; pipeline \"" + pipeline + "\" is not among them");
        }
    }

    /**
     * The name to record for a decision or a run request: the caller's own, unless an admin
     * names someone else. Null, with auth off, means "whoever the request says".
     *
     * @throws ForbiddenNameException when a non-admin names someone other than themselves
     */
    public String speaksFor(String named) {
        if (named == null || named.isBlank() || named.equals(name)) {
            return name;
        }
        if (role == Role.ADMIN) {
            return named;
        }
        throw new ForbiddenNameException(name + " may act only in their own name, not as " + named
                + " (an admin token may record a decision for someone else)");
    }

    /**
     * Who to record as having asked for a run: the caller, and whom the client named if that
     * differs (the CLI names the local user), since the request itself decides nothing.
     */
    public String requester(String named) {
        return named == null || named.isBlank() || named.equals(name) ? name : name + " (for " + named + ")";
    }

    public static final class ForbiddenNameException extends RuntimeException {
        public ForbiddenNameException(String message) {
            super(message);
        }
    }

    public static final class OutOfScopeException extends RuntimeException {
        public OutOfScopeException(String message) {
            super(message);
        }
    }
}
