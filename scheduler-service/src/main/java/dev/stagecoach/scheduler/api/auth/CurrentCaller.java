package dev.stagecoach.scheduler.api.auth;

import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/** The caller of the request being served, set by {@link BearerTokenFilter}; empty when auth is off. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    public Optional<Caller> get() {
        return Optional.ofNullable(caller);
    }

    /** See {@link Caller#requester}; with auth off, the name as given. */
    public String requester(String named) {
        return caller == null ? named : caller.requester(named);
    }

    /** See {@link Caller#speaksFor}; with auth off, the name as given. */
    public String speaksFor(String named) {
        return caller == null ? named : caller.speaksFor(named);
    }

    /** Whether the caller may see and act on {@code pipeline}; with auth off, every pipeline. */
    public boolean reaches(String pipeline) {
        return caller == null || caller.reaches(pipeline);
    }

    /** See {@link Caller#requireReach}; with auth off, nothing is refused. */
    public void requireReach(String pipeline) {
        if (caller != null) {
            caller.requireReach(pipeline);
        }
    }
}
