package dev.connbal.pipeline;

/**
 * Process entry point of the shaded jar: runs {@link ConnbalCommand} on the real stdin, stdout
 * and stderr, with Ctrl-C ending stdin spooling, and exits with its code. The launcher sets
 * {@code -Dconnbal.progress=true} when stderr is a terminal, which turns on the live progress line.
 */
public final class ConnbalMain {
  private ConnbalMain() {}

  public static void main(String[] args) {
    boolean liveProgress = Boolean.getBoolean("connbal.progress");
    int exitCode =
        new ConnbalCommand(new SigintHook(), liveProgress)
            .execute(args, System.in, System.out, System.err);
    System.out.flush();
    System.exit(exitCode);
  }
}
