package dev.stagecoach.scheduler.api.auth;

import dev.stagecoach.scheduler.api.ApiErrors;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Optional;

/**
 * Lets a request through to an endpoint marked {@link RequiresRole} only with a bearer token
 * whose role covers it; every refusal says what was wrong and what to send instead.
 */
// Providers are made before the runtime configuration exists: configuration comes through
// ConfiguredTokens, an application-scoped bean that is resolved on first use.
@Provider
@Priority(Priorities.AUTHENTICATION)
public class BearerTokenFilter implements ContainerRequestFilter {

    private static final String SCHEME = "Bearer ";

    @Context
    ResourceInfo resource;
    @Inject
    CurrentCaller caller;
    @Inject
    ConfiguredTokens configured;

    @Override
    public void filter(ContainerRequestContext request) {
        RequiresRole required = required();
        if (required == null || !configured.enabled()) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            refuse(request, Response.Status.UNAUTHORIZED, "this call needs a bearer token: send the header "
                    + "\"Authorization: Bearer <token>\" (the CLI sends $STAGECOACH_TOKEN or --token)");
            return;
        }
        if (!header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            refuse(request, Response.Status.UNAUTHORIZED, "the Authorization header must be \"Bearer <token>\"");
            return;
        }
        Optional<Caller> who = configured.tokens().lookUp(header.substring(SCHEME.length()).trim());
        if (who.isEmpty()) {
            refuse(request, Response.Status.UNAUTHORIZED, "the bearer token is not one this scheduler accepts");
            return;
        }
        if (!who.get().role().covers(required.value())) {
            refuse(request, Response.Status.FORBIDDEN, "token \"" + who.get().name() + "\" has role " + who.get().role().label()
                    + "; " + request.getMethod() + " " + request.getUriInfo().getPath() + " needs " + required.value().label());
            return;
        }
        caller.set(who.get());
    }

    private RequiresRole required() {
        RequiresRole onMethod = resource.getResourceMethod() == null ? null : resource.getResourceMethod().getAnnotation(RequiresRole.class);
        if (onMethod != null) {
            return onMethod;
        }
        return resource.getResourceClass() == null ? null : resource.getResourceClass().getAnnotation(RequiresRole.class);
    }

    private static void refuse(ContainerRequestContext request, Response.Status status, String why) {
        Response answer = ApiErrors.of(status, why, List.of());
        request.abortWith(status == Response.Status.UNAUTHORIZED
                ? Response.fromResponse(answer).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"stagecoach\"").build()
                : answer);
    }
}
