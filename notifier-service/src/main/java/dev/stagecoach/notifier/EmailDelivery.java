package dev.stagecoach.notifier;

import dev.stagecoach.events.Channel;
import dev.stagecoach.events.Notification;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.vertx.ext.mail.SMTPException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Sends a notification as an email with an HTML and a plain-text body through the Quarkus
 * mailer (SMTP, as {@code quarkus.mailer.*} configures it). The Message-ID is derived from the
 * dedupe id, so a copy sent again is the same message to the mail clients that collapse them.
 * SMTP's transient answers (4xx) and lost connections are retried; permanent ones (5xx) are final.
 */
public final class EmailDelivery implements ChannelDelivery {

    static final String MESSAGE_ID_DOMAIN = "stagecoach.notifier";
    static final String POSSIBLE_DUPLICATE = "X-Stagecoach-Possible-Duplicate";

    private final ReactiveMailer mailer;
    private final Optional<String> from;
    private final NotificationTemplates templates;
    private final Function<Notification, NotificationView> views;
    private final RetryingAttempts attempts;

    /** @param from the sender ({@code quarkus.mailer.from}); without one, email is not configured */
    public EmailDelivery(ReactiveMailer mailer, Optional<String> from, NotificationTemplates templates,
                         Function<Notification, NotificationView> views, RetryingAttempts attempts) {
        this.mailer = mailer;
        this.from = from.filter(f -> !f.isBlank());
        this.templates = templates;
        this.views = views;
        this.attempts = attempts;
    }

    @Override
    public Optional<String> missingSetting() {
        return from.isPresent() ? Optional.empty()
                : Optional.of("quarkus.mailer.from (QUARKUS_MAILER_FROM), with quarkus.mailer.host and port of the SMTP server");
    }

    @Override
    public CompletionStage<DeliveryOutcome> deliver(Notification notification) {
        return deliver(notification, false);
    }

    /** Sent again with the same Message-ID, which mail clients that de-duplicate go by, and flagged for those that do not. */
    @Override
    public CompletionStage<DeliveryOutcome> deliverAgain(Notification notification, Instant begun) {
        return deliver(notification, true);
    }

    private CompletionStage<DeliveryOutcome> deliver(Notification notification, boolean possibleDuplicate) {
        if (from.isEmpty()) {
            return CompletableFuture.completedFuture(new DeliveryOutcome.GivenUp("email is not configured in notifier-service: set "
                    + missingSetting().orElseThrow()));
        }
        NotificationView view = views.apply(notification);
        Mail mail = Mail.withHtml(notification.getTarget(), notification.getSubject(),
                        templates.render("email", notification.getEvent(), "html", view))
                .setText(templates.render("email", notification.getEvent(), "txt", view))
                .setFrom(from.get())
                .addHeader("Message-ID", messageId(notification.getDedupeId()));
        if (possibleDuplicate) {
            mail.addHeader(POSSIBLE_DUPLICATE, "true");
        }
        return attempts.run(Channel.EMAIL, notification.getDedupeId(), "email to " + notification.getTarget(),
                () -> mailer.send(mail).subscribeAsCompletionStage()
                        .handle((sent, error) -> error == null ? AttemptAnswer.success() : answer(error)));
    }

    /** {@code <hex of SHA-256 of the dedupe id>@stagecoach.notifier}: stable, and safe whatever the id holds. */
    static String messageId(String dedupeId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(dedupeId.getBytes(StandardCharsets.UTF_8));
            return "<" + HexFormat.of().formatHex(digest, 0, 16) + "@" + MESSAGE_ID_DOMAIN + ">";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static AttemptAnswer answer(Throwable error) {
        Throwable cause = Failures.cause(error);
        if (cause instanceof SMTPException smtp) {
            String said = "was refused by the SMTP server: " + smtp.getReplyCode() + " " + smtp.getReplyMessage();
            return smtp.isPermanent() ? AttemptAnswer.permanent(said) : AttemptAnswer.retryable(said, Optional.empty());
        }
        // Connection refused, TLS failures, a server that hung up: the next attempt may find it well.
        return AttemptAnswer.retryable("could not be sent (" + AttemptAnswer.describe(cause) + ")", Optional.empty());
    }
}
