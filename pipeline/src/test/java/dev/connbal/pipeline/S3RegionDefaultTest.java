package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class S3RegionDefaultTest {
  private static ConnBalOptions options(String... args) {
    ConnBalCommand.registerOptions();
    return PipelineOptionsFactory.fromArgs(args).as(ConnBalOptions.class);
  }

  @Test
  void localRunGetsARegionWithoutLookingOneUp() {
    ConnBalOptions options = options();

    boolean set =
        S3RegionDefault.apply(
            options, List.of(), Arrays.asList("/captures/*.snoop", "gs://bucket/out", null));

    assertThat(set, is(true));
    assertThat(options.as(AwsOptions.class).getAwsRegion(), equalTo(Region.AWS_GLOBAL));
  }

  @Test
  void anS3InputOutputOrTempLocationKeepsTheRegionChain() {
    for (List<String> locations :
        List.of(
            Arrays.asList("s3://bucket/*.snoop", null, null),
            Arrays.asList("/captures/a.snoop", "S3://bucket/result", null),
            Arrays.asList("/captures/a.snoop", null, "s3://bucket/tmp"))) {
      ConnBalOptions options = options();

      boolean set = S3RegionDefault.apply(options, List.of(), locations);

      assertThat(locations.toString(), set, is(false));
      // Only options that were set print; reading the region would run the chain.
      assertThat(locations.toString(), options.toString(), not(containsString("awsRegion")));
    }
  }

  @Test
  void aGivenRegionWins() {
    ConnBalOptions options = options("--awsRegion=eu-west-3");

    boolean set =
        S3RegionDefault.apply(options, List.of("--awsRegion=eu-west-3"), List.of("/a.snoop"));

    assertThat(set, is(false));
    assertThat(options.as(AwsOptions.class).getAwsRegion(), equalTo(Region.EU_WEST_3));
  }
}
