package dev.stagecoach.scheduler.api;

import dev.stagecoach.scheduler.api.auth.RequiresRole;
import dev.stagecoach.scheduler.api.auth.Role;
import dev.stagecoach.scheduler.observe.RunEventView;
import dev.stagecoach.scheduler.observe.RunObservers;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Every run's events as they happen (of one pipeline's runs, if asked), for pages and tools that follow all runs. */
@Path("/api/events")
@RequiresRole(Role.VIEWER)
public class EventStreamResource {

    @Inject
    RunObservers observers;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<RunEventView> all(@QueryParam("pipeline") String pipeline) {
        return observers.events(event -> pipeline == null || pipeline.isBlank() || pipeline.equals(event.pipeline()), event -> false);
    }
}
