package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Splitter;
import org.junit.jupiter.api.Test;

/**
 * The JVMs of connbal's tests and of its launcher open the same JDK packages: both take them from
 * scripts/jvm-add-opens.args, the tests through the parent pom's argLine and the launcher through
 * scripts/jvm-options.bash.
 */
class AddOpensTest {
  /** The repository root: Maven runs a module's tests in the module's directory. */
  private static final Path ROOT = Path.of(System.getProperty("connbal.root", ".."));

  private static final Path LIST = ROOT.resolve("scripts/jvm-add-opens.args");

  /** The options of the list, without its comments and blank lines. */
  private static List<String> options() throws IOException {
    return Files.readAllLines(LIST, StandardCharsets.UTF_8).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }

  @Test
  void thisTestJvmOpensEveryPackageOfTheList() throws IOException {
    List<String> options = options();
    assertThat(options, not(empty()));
    Module unnamed = AddOpensTest.class.getClassLoader().getUnnamedModule();
    for (String option : options) {
      assertThat(option, matchesPattern("--add-opens=[\\w.]+/[\\w.]+=ALL-UNNAMED"));
      List<String> modulePackage =
          Splitter.onPattern("[/=]").splitToList(option.substring("--add-opens=".length()));
      Module module = ModuleLayer.boot().findModule(modulePackage.get(0)).orElseThrow();
      assertThat(option, module.isOpen(modulePackage.get(1), unnamed), is(true));
    }
  }

  @Test
  void theLauncherPassesTheSameList() throws Exception {
    Process bash =
        new ProcessBuilder(
                "bash",
                "-c",
                "source scripts/jvm-options.bash && printf '%s\\n' \"${jvm_add_opens[@]}\"")
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor(30, TimeUnit.SECONDS), is(true));
    assertThat(out, bash.exitValue(), is(0));
    List<String> words = out.lines().toList();
    assertThat(words, hasSize(1));
    assertThat(words.get(0), equalTo("@" + LIST.toRealPath()));
  }
}
