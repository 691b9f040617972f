package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {
  private static final String PROVIDER =
      "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
          + "\"accessKeyId\":\"AKIDEXAMPLE\",\"secretAccessKey\":\"wJalrXUtnFEMI/K7MDENG\"}";

  @Test
  void masksCredentialsGivenAsBeamJson() {
    SecretRedactor redactor = SecretRedactor.forArgs(List.of("--runner=DirectRunner", PROVIDER));
    String text =
        redactor.redact(
            "Unable to parse " + PROVIDER + " (key wJalrXUtnFEMI/K7MDENG, AKIDEXAMPLE)");
    assertThat(text, not(containsString("wJalrXUtnFEMI/K7MDENG")));
    assertThat(text, not(containsString("AKIDEXAMPLE")));
    assertThat(text, containsString("\"secretAccessKey\":\"" + SecretRedactor.MASK + "\""));
  }

  @Test
  void masksJsonSecretsEvenWhenTheArgumentsDidNotContainThem() {
    SecretRedactor redactor = SecretRedactor.forArgs(List.of());
    assertThat(
        redactor.redact("{\"sessionToken\" : \"abc\"}"),
        equalTo("{\"sessionToken\":\"" + SecretRedactor.MASK + "\"}"));
  }

  @Test
  void masksValuesOfOptionsNamedLikeSecrets() {
    SecretRedactor redactor =
        SecretRedactor.forArgs(List.of("--proxyPassword=hunter2", "--endpoint=http://x"));
    assertThat(
        redactor.redact("bad proxy hunter2 at http://x"),
        equalTo("bad proxy " + SecretRedactor.MASK + " at http://x"));
  }
}
