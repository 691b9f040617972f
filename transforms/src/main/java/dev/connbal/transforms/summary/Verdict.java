package dev.connbal.transforms.summary;

/**
 * SEMANTICS.md's verdicts on a client's spread over a name's backends, in the order of severity
 * that "worst first" sorts by: a skew the counts prove, a backend left out, a lookup per
 * connection, nothing wrong, nothing to judge.
 */
public enum Verdict {
  /** p < 0.01: the connections do not follow the expected shares. */
  UNEVEN("uneven"),
  /** A backend with a share got no connection. */
  UNUSED_BACKENDS("unused-backends"),
  /** lookups/conn >= 0.9: about one lookup per connection, which caching should avoid. */
  RE_RESOLVES("re-resolves"),
  /** Connections were made and none of the above applies. */
  EVEN("even"),
  /** n = 0: DNS gave backends, the client connected to none of them. */
  NO_CONNECTIONS("no-connections");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  /** The verdict as the TSV and the report print it. */
  public String label() {
    return label;
  }

  /** The verdict printed as {@code label}. */
  public static Verdict labelled(String label) {
    for (Verdict verdict : values()) {
      if (verdict.label.equals(label)) {
        return verdict;
      }
    }
    throw new IllegalArgumentException("no verdict is labelled '" + label + "'");
  }
}
