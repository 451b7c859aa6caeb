package dev.stagecoach.notifier;

import io.quarkus.qute.Engine;
import io.quarkus.qute.EngineBuilder;
import io.quarkus.qute.Expression;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.ReflectionValueResolver;
import io.quarkus.qute.ResultMapper;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateLocator;
import io.quarkus.qute.TemplateNode;
import io.quarkus.qute.Variant;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The words of each channel and event, from Qute templates: {@code <channel>/<event>.<ext>}
 * (email {@code .html} and {@code .txt}, slack {@code .md}, pagerduty {@code .txt}), each given
 * {@code view}, a {@link NotificationView}. A deployer's folder, when configured, is looked in
 * first, so one file there replaces one built-in template and the rest stay as they are.
 */
public final class NotificationTemplates {

    static final String BUILT_IN = "notification-templates/";
    static final String SLACK_MRKDWN = "text/x-slack-mrkdwn";

    private final Engine engine;

    public NotificationTemplates(Optional<Path> overrides) {
        EngineBuilder builder = Engine.builder().addDefaults()
                .addValueResolver(new ReflectionValueResolver())
                .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML)))
                .addResultMapper(new SlackEscaper());
        overrides.ifPresent(dir -> builder.addLocator(id -> fromFolder(dir, id)));
        builder.addLocator(NotificationTemplates::builtIn);
        this.engine = builder.build();
    }

    /** @throws IllegalStateException when neither the deployer's folder nor the built-in ones have it */
    public String render(String channel, String event, String extension, NotificationView view) {
        String id = channel + "/" + event + "." + extension;
        Template template = engine.getTemplate(id);
        if (template == null) {
            throw new IllegalStateException("no template " + id);
        }
        return template.data("view", view).render().strip();
    }

    private static Optional<TemplateLocator.TemplateLocation> fromFolder(Path dir, String id) {
        Path file = dir.resolve(id).normalize();
        if (!file.startsWith(dir.normalize()) || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(location(id, () -> Files.newBufferedReader(file, StandardCharsets.UTF_8)));
    }

    private static Optional<TemplateLocator.TemplateLocation> builtIn(String id) {
        if (NotificationTemplates.class.getClassLoader().getResource(BUILT_IN + id) == null) {
            return Optional.empty();
        }
        return Optional.of(location(id, () -> {
            InputStream in = NotificationTemplates.class.getClassLoader().getResourceAsStream(BUILT_IN + id);
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        }));
    }

    private static TemplateLocator.TemplateLocation location(String id, Opener opener) {
        Variant variant = Variant.forContentType(id.endsWith(".html") ? Variant.TEXT_HTML
                : id.endsWith(".md") ? SLACK_MRKDWN : Variant.TEXT_PLAIN);
        return new TemplateLocator.TemplateLocation() {
            @Override
            public Reader read() {
                try {
                    return opener.open();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read template " + id, e);
                }
            }

            @Override
            public Optional<Variant> getVariant() {
                return Optional.of(variant);
            }
        };
    }

    private interface Opener {
        Reader open() throws IOException;
    }

    /** Slack reads {@code &}, {@code <} and {@code >} as markup (links, mentions): a value must not. */
    private static final class SlackEscaper implements ResultMapper {

        @Override
        public boolean appliesTo(TemplateNode.Origin origin, Object result) {
            return origin.getVariant().map(v -> SLACK_MRKDWN.equals(v.getContentType())).orElse(false);
        }

        @Override
        public String map(Object result, Expression expression) {
            return result.toString().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }
    }
}
