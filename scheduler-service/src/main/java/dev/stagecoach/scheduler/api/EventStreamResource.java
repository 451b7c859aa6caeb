package dev.stagecoach.scheduler.api;

import dev.stagecoach.scheduler.api.auth.Caller;
import dev.stagecoach.scheduler.api.auth.CurrentCaller;
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
import java.util.Optional;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Every run's events as they happen (of one pipeline's runs, if asked; of the pipelines the caller's token reaches), for pages and tools that follow all runs. */
@Path("/api/events")
@RequiresRole(Role.VIEWER)
public class EventStreamResource {

    @Inject
    RunObservers observers;
    @Inject
    CurrentCaller caller;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<RunEventView> all(@QueryParam("pipeline") String pipeline) {
        // Taken now: the stream is filtered on other threads, after the request's scope has ended.
        Optional<Caller> who = caller.get();
        return observers.events(event -> (pipeline == null || pipeline.isBlank() || pipeline.equals(event.pipeline()))
                && who.map(c -> c.reaches(event.pipeline())).orElse(true), event -> false);
    }
}
