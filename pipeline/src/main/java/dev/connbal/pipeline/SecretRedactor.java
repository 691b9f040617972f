package dev.connbal.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text connbal prints. Beam's option parser and the AWS SDK may echo an
 * option's value in an error message (a malformed {@code --awsCredentialsProvider} JSON, for
 * example); every line connbal writes to stderr passes through here, so secrets given on the
 * command line never reach a terminal or a log.
 */
final class SecretRedactor {
  static final String MASK = "****";

  /** Option names whose whole value is secret. */
  private static final Pattern SECRET_OPTION =
      Pattern.compile("(?i)--[^=]*(credential|secret|password|token|sessionkey)[^=]*=(.+)");

  /** JSON fields inside option values (Beam's AWS credentials provider JSON) that are secret. */
  private static final Pattern SECRET_FIELD =
      Pattern.compile(
          "(?i)\"(accessKeyId|secretAccessKey|sessionToken|password|token)\"\\s*:\\s*\"([^\"]*)\"");

  private final List<String> secrets;

  private SecretRedactor(List<String> secrets) {
    this.secrets = secrets;
  }

  static SecretRedactor forArgs(List<String> args) {
    List<String> secrets = new ArrayList<>();
    for (String arg : args) {
      Matcher option = SECRET_OPTION.matcher(arg);
      if (option.matches()) {
        secrets.add(option.group(2));
      }
      Matcher field = SECRET_FIELD.matcher(arg);
      while (field.find()) {
        if (!field.group(2).isEmpty()) {
          secrets.add(field.group(2));
        }
      }
    }
    // Longest first, so that a secret containing another is masked whole.
    secrets.sort((a, b) -> Integer.compare(b.length(), a.length()));
    return new SecretRedactor(List.copyOf(secrets));
  }

  String redact(String text) {
    String result = SECRET_FIELD.matcher(text).replaceAll("\"$1\":\"" + MASK + "\"");
    for (String secret : secrets) {
      result = result.replace(secret, MASK);
    }
    return result;
  }
}
