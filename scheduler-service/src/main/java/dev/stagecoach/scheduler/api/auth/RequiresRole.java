package dev.stagecoach.scheduler.api.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least role a bearer token needs for an endpoint; on a method it overrides its class.
 * Endpoints without it (webhooks, which prove themselves by signature) take no token.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresRole {
    Role value();
}
