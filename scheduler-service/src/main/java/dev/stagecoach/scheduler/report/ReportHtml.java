package dev.stagecoach.scheduler.report;

import java.util.List;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * A run's Markdown report as an HTML fragment, for the dashboard. Stage output and error text
 * end up in the report, so raw HTML in it is escaped and link targets are sanitised: a stage
 * cannot script the page that shows its report.
 */
public final class ReportHtml {

    private static final List<org.commonmark.Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS)
            .escapeHtml(true).sanitizeUrls(true).build();

    private ReportHtml() {
    }

    public static String of(String markdown) {
        return RENDERER.render(PARSER.parse(markdown));
    }
}
