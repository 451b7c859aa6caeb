package dev.stagecoach.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every test class of the build left a Surefire or Failsafe report: a class whose name the
 * plugins' includes do not match never runs, and a green build hides it (a property class
 * once went unrun for weeks). It lives in this module because the reactor builds it last,
 * after every other module's tests and end-to-end tests have run.
 */
class EveryTestClassRanTest {

    private static final Pattern TEST_ANNOTATION = Pattern.compile("@(Test|ParameterizedTest|RepeatedTest|Property|TestFactory)\\b");
    private static final Pattern ABSTRACT_CLASS = Pattern.compile("\\babstract\\s+class\\b");

    @Test
    void everyClassWithTestsInAModuleThatRanItsTestsHasAReport() throws IOException {
        Path here = Path.of("").toAbsolutePath();
        Path root = here.getParent();
        List<String> unrun = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> modules = Files.list(root)) {
            // This module's own classes are running now: they have no report yet.
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/test/java")) && !m.equals(here)).sorted().toList()) {
                Path surefire = module.resolve("target/surefire-reports");
                Path failsafe = module.resolve("target/failsafe-reports");
                if (!Files.isDirectory(surefire)) {
                    continue; // this build did not run the module's tests (-pl, -DskipTests)
                }
                for (String testClass : testClasses(module.resolve("src/test/java"))) {
                    checked++;
                    String report = "TEST-" + testClass + ".xml";
                    boolean ran = Files.exists(surefire.resolve(report)) || Files.exists(failsafe.resolve(report));
                    if (!ran && !(testClass.endsWith("IT") && !Files.isDirectory(failsafe))) {
                        unrun.add(module.getFileName() + ": " + testClass);
                    }
                }
            }
        }
        assertThat(unrun).as("test classes that never ran out of %d checked; make the plugins' includes match their names", checked)
                .isEmpty();
    }

    private static List<String> testClasses(Path sources) throws IOException {
        List<String> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                if (TEST_ANNOTATION.matcher(text).find() && !ABSTRACT_CLASS.matcher(text).find()) {
                    String relative = sources.relativize(file).toString();
                    classes.add(relative.substring(0, relative.length() - ".java".length()).replace('/', '.'));
                }
            }
        }
        return classes;
    }
}
