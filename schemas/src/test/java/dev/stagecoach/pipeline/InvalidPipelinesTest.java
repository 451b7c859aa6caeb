package dev.stagecoach.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per file pair in {@code src/test/resources/invalid/}: {@code NAME.yaml} and
 * {@code NAME.expected}, the diagnostics exactly as a person sees them, one per line. To add a
 * case, write the YAML, run this test, and copy the printed diagnostics into the
 * {@code .expected} file only after reading each one as its user would.
 */
class InvalidPipelinesTest {

    static Path folder() throws URISyntaxException {
        return Path.of(InvalidPipelinesTest.class.getResource("/invalid").toURI());
    }

    static Stream<String> cases() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(folder())) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void diagnosticsAreExactlyTheExpectedOnes(String name) throws Exception {
        String file = name + ".yaml";
        String yaml = Files.readString(folder().resolve(file), StandardCharsets.UTF_8);
        List<String> expected = Files.readAllLines(folder().resolve(name + ".expected"), StandardCharsets.UTF_8)
                .stream().filter(line -> !line.isBlank()).toList();

        LoadResult result = PipelineLoader.load(yaml, file);
        List<String> actual = result.diagnostics().stream().map(Diagnostic::toString).toList();

        assertThat(actual)
                .withFailMessage("%s gave:%n%s%n%nbut %s.expected says:%n%s",
                        file, String.join(System.lineSeparator(), actual), name, String.join(System.lineSeparator(), expected))
                .containsExactlyElementsOf(expected);
        assertThat(result.ok()).as("loads although it has errors, or fails without one").isEqualTo(result.errors().isEmpty());
    }

    @Test
    void everyCaseHasItsExpectationAndThereAreEnoughCases() throws Exception {
        List<String> names = cases().toList();
        try (Stream<Path> files = Files.list(folder())) {
            List<String> expectations = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".expected"))
                    .map(n -> n.substring(0, n.length() - ".expected".length()))
                    .sorted()
                    .toList();
            assertThat(expectations).as("NAME.expected files without NAME.yaml, or the reverse").isEqualTo(names);
        }
        assertThat(names).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void everyErrorCaseThrowsWithEveryErrorInTheMessage() throws Exception {
        for (String name : cases().toList()) {
            LoadResult result = PipelineLoader.load(Files.readString(folder().resolve(name + ".yaml")), name + ".yaml");
            if (!result.errors().isEmpty()) {
                assertThatThrownBy(result::orThrow)
                        .isInstanceOfSatisfying(InvalidPipelineException.class, e -> {
                            assertThat(e.diagnostics()).isEqualTo(result.errors());
                            assertThat(e.getMessage().lines()).containsExactlyElementsOf(
                                    result.errors().stream().map(Diagnostic::toString).toList());
                        });
            }
        }
    }
}
