package dev.connbal.pipeline;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import software.amazon.awssdk.regions.Region;

/**
 * Spares runs that touch no S3 location an AWS region lookup. Beam builds its S3 file system in
 * every JVM that configures file systems (the driver, and each worker that deserializes the
 * options), and asks AWS's default region chain for a region unless {@code --awsRegion} is given.
 * Off EC2, the last link of that chain probes the instance metadata endpoint with retries, which
 * sleep between attempts even where the connection is refused at once. When no input, output or
 * temp location is an {@code s3://} URI, that file system never creates a client, so its region is
 * never used: connbal then sets AWS's global region instead of looking one up. Runs that use S3
 * keep the chain's answer.
 */
final class S3RegionDefault {
  /** The region set when no location is on S3; it only keeps the chain from running. */
  static final Region UNUSED_REGION = Region.AWS_GLOBAL;

  /** A URI scheme as Beam's FileSystems parses it (case-insensitive). */
  private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][-a-zA-Z0-9+.]*)://");

  private S3RegionDefault() {}

  /**
   * Sets {@link #UNUSED_REGION} on {@code options} unless {@code --awsRegion} is among {@code
   * pipelineArgs} or one of {@code locations} (the run's input patterns, output and temp location;
   * nulls allowed) is on S3.
   *
   * @return whether the region was set
   */
  static boolean apply(ConnBalOptions options, List<String> pipelineArgs, List<String> locations) {
    if (RunnerDefaults.given(pipelineArgs, "awsRegion")
        || locations.stream().anyMatch(S3RegionDefault::onS3)) {
      return false;
    }
    options.as(AwsOptions.class).setAwsRegion(UNUSED_REGION);
    return true;
  }

  private static boolean onS3(String location) {
    if (location == null) {
      return false;
    }
    Matcher scheme = SCHEME.matcher(location);
    return scheme.find() && scheme.group(1).toLowerCase(Locale.ROOT).equals("s3");
  }
}
