package dev.connbal.snoop.testing;

import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Test-scope S3 client factory for Beam's aws2 filesystem that forces path-style access, because
 * virtual-host names such as {@code bucket.localhost} do not resolve for a loopback {@link
 * S3ProxyServer}. Endpoint, region and credentials still come from the pipeline options. The
 * pipeline module has the production counterpart.
 */
public class PathStyleS3ClientBuilderFactory extends DefaultS3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    return super.createBuilder(options).forcePathStyle(true);
  }
}
