package dev.connbal.snoop.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Wireshark's command-line tools (tshark, capinfos) for tests that check connbal's reading against
 * them: whether one is installed, and its output.
 */
public final class CaptureTools {
  private CaptureTools() {}

  /** Whether {@code tool} is an executable on the PATH. */
  public static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /** The lines {@code command} prints on stdout; it must succeed within a minute. */
  public static List<String> lines(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS), is(true));
    assertThat(String.join(" ", command), p.exitValue(), is(0));
    return new String(out, StandardCharsets.UTF_8).lines().toList();
  }
}
