package dev.stagecoach.scheduler.api;

import dev.stagecoach.scheduler.api.auth.Caller;
import dev.stagecoach.scheduler.api.auth.ConfiguredTokens;
import dev.stagecoach.scheduler.api.auth.CurrentCaller;
import dev.stagecoach.scheduler.api.auth.RequiresRole;
import dev.stagecoach.scheduler.api.auth.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Who the caller is and what they may do: the dashboard shows only the actions their role allows, and the pipelines a limited token reaches. */
@Path("/api/me")
@Produces(MediaType.APPLICATION_JSON)
@RequiresRole(Role.VIEWER)
public class CallerResource {

    /** @param pipelines the globs a token is limited to, e.g. {@code release-*}; null when it reaches every pipeline */
    public record Me(String name, String role, boolean authEnabled, String pipelines) {
    }

    @Inject
    CurrentCaller caller;
    @Inject
    ConfiguredTokens tokens;

    @GET
    public Me me() {
        // With auth off every caller may do everything.
        return caller.get().map(CallerResource::me).orElse(new Me(null, Role.ADMIN.label(), tokens.enabled(), null));
    }

    private static Me me(Caller caller) {
        return new Me(caller.name(), caller.role().label(), true, caller.scope().unlimited() ? null : caller.scope().describe());
    }
}
