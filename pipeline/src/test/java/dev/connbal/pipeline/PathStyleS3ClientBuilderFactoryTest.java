package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Checks the requests the factory's client sends, against a recording HTTP server on loopback. */
class PathStyleS3ClientBuilderFactoryTest {
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI().getPath()
                  + " host="
                  + exchange.getRequestHeaders().getFirst("Host")
                  + " auth="
                  + exchange.getRequestHeaders().getFirst("Authorization")
                  + " bucketKey="
                  + exchange.getRequestHeaders().getFirst(BucketKeyDefaultHeaderRemover.HEADER));
          exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
          exchange.getResponseHeaders().add("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void addressesBucketsPathStyleWithTheGivenEndpointRegionAndCredentials() {
    String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    S3Options options =
        PipelineOptionsFactory.fromArgs(
                "--endpoint=" + endpoint,
                "--awsRegion=eu-west-3",
                "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
                    + "\"accessKeyId\":\"AKIDCONNBALTEST\",\"secretAccessKey\":\"not-a-secret\"}")
            .as(S3Options.class);

    try (S3Client client = new PathStyleS3ClientBuilderFactory().createBuilder(options).build()) {
      assertThat(client.serviceClientConfiguration().region(), is(Region.EU_WEST_3));
      client.headObject(b -> b.bucket("captures").key("2026/day1.snoop"));
    }

    assertThat(requests.size(), is(1));
    String request = requests.get(0);
    assertThat(request, containsString("HEAD /captures/2026/day1.snoop host=127.0.0.1:"));
    assertThat(request, containsString("Credential=AKIDCONNBALTEST/"));
    assertThat(request, containsString("/eu-west-3/s3/aws4_request"));
  }

  @Test
  void leavesOutTheDefaultBucketKeyHeaderThatS3CompatibleServersReject() {
    S3Options options =
        PipelineOptionsFactory.fromArgs(
                "--endpoint=http://127.0.0.1:" + server.getAddress().getPort(),
                "--awsRegion=us-east-1",
                "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
                    + "\"accessKeyId\":\"AKID\",\"secretAccessKey\":\"not-a-secret\"}")
            .as(S3Options.class);
    try (S3Client client = new PathStyleS3ClientBuilderFactory().createBuilder(options).build()) {
      client.putObject(
          b -> b.bucket("b").key("off").bucketKeyEnabled(false), RequestBody.fromString("x"));
      client.putObject(
          b -> b.bucket("b").key("on").bucketKeyEnabled(true), RequestBody.fromString("x"));
    }
    assertThat(requests.get(0), containsString("PUT /b/off "));
    assertThat(requests.get(0), containsString("bucketKey=null"));
    assertThat(requests.get(1), containsString("PUT /b/on "));
    assertThat(requests.get(1), containsString("bucketKey=true"));
  }

  @Test
  void isSelectedByTheS3PathStyleFlagOnly() throws Exception {
    ConnBalOptions plain = PipelineOptionsFactory.as(ConnBalOptions.class);
    ConnBalCommand.configureFileSystems(plain);
    assertThat(
        plain.as(S3Options.class).getS3ClientFactoryClass().getSimpleName(),
        equalTo("DefaultS3ClientBuilderFactory"));

    ConnBalOptions options = PipelineOptionsFactory.as(ConnBalOptions.class);
    CommandLine.parse("--s3-path-style").applyTo(options);
    assertThat(options.getS3PathStyle(), is(true));
    ConnBalCommand.configureFileSystems(options);
    assertThat(
        options.as(S3Options.class).getS3ClientFactoryClass(),
        equalTo(PathStyleS3ClientBuilderFactory.class));
  }
}
