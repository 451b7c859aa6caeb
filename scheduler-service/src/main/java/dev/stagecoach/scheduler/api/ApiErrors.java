package dev.stagecoach.scheduler.api;

import dev.stagecoach.scheduler.api.auth.Caller;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Map;

/** Problems become JSON answers a person can act on: {@code {"error": ..., "problems": [...]}}. */
public final class ApiErrors {

    private ApiErrors() {
    }

    public static Response of(Response.Status status, String error, List<?> problems) {
        return Response.status(status).entity(Map.of("error", error, "problems", problems)).build();
    }

    @Provider
    public static class NotReady implements ExceptionMapper<EngineNotReadyException> {
        @Override
        public Response toResponse(EngineNotReadyException e) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).header("Retry-After", "1")
                    .entity(Map.of("error", e.getMessage(), "problems", List.of())).build();
        }
    }

    @Provider
    public static class ForbiddenName implements ExceptionMapper<Caller.ForbiddenNameException> {
        @Override
        public Response toResponse(Caller.ForbiddenNameException e) {
            return of(Response.Status.FORBIDDEN, e.getMessage(), List.of());
        }
    }

    @Provider
    public static class OutOfScope implements ExceptionMapper<Caller.OutOfScopeException> {
        @Override
        public Response toResponse(Caller.OutOfScopeException e) {
            // JSON also from endpoints that produce Markdown, HTML or event streams: the refusal is not their content.
            return Response.fromResponse(of(Response.Status.FORBIDDEN, e.getMessage(), List.of())).type(MediaType.APPLICATION_JSON).build();
        }
    }
}
