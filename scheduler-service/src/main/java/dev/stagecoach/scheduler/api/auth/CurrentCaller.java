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

    /**
     * Who to record as having asked for a run: the caller, and whom the client named if that
     * differs (the CLI names the local user), since the request itself decides nothing.
     */
    public String requester(String named) {
        if (caller == null || named == null || named.isBlank() || named.equals(caller.name())) {
            return caller == null ? named : caller.name();
        }
        return caller.name() + " (for " + named + ")";
    }

    /** See {@link Caller#speaksFor}; with auth off, the name as given. */
    public String speaksFor(String named) {
        return caller == null ? named : caller.speaksFor(named);
    }
}
