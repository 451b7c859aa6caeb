package dev.stagecoach.scheduler.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagecoach.pipeline.Trigger;
import dev.stagecoach.pipeline.expr.Expression;
import dev.stagecoach.pipeline.expr.Interpolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run parameters a webhook trigger derives from a request's JSON body. A parameter whose
 * {@code payload.<path>} references all lead nowhere is left out, so that its default applies
 * rather than an empty text; what was missing is kept to explain a refusal.
 *
 * @param missing one line per parameter left out, naming the paths the body lacks
 */
public record PayloadParameters(Map<String, String> values, List<String> missing) {

    public static PayloadParameters derive(Trigger.Webhook webhook, JsonNode payload) {
        Expression.Context context = JsonDocuments.context("payload", payload);
        Map<String, String> values = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        webhook.params().forEach((name, text) -> {
            Interpolation interpolation = Interpolation.parse(text);
            List<Expression.Reference> references = interpolation.references();
            List<String> absent = references.stream()
                    .filter(reference -> reference.evaluate(context) == null).map(Expression.Reference::toString).toList();
            if (!references.isEmpty() && absent.size() == references.size()) {
                missing.add("parameter \"" + name + "\": the body has no " + String.join(", ", absent));
            } else {
                values.put(name, interpolation.render(context));
            }
        });
        return new PayloadParameters(values, missing);
    }
}
