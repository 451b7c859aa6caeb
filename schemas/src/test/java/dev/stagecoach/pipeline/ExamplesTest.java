package dev.stagecoach.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every pipeline under examples/ loads without an error: they are what newcomers copy. */
class ExamplesTest {

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "examples"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleLoadsWithoutErrors(Path file) throws IOException {
        LoadResult result = PipelineLoader.load(Files.readString(file), file.getFileName().toString());
        assertThat(result.errors()).as(file + " has errors").isEmpty();
        assertThat(result.ok()).isTrue();
    }
}
