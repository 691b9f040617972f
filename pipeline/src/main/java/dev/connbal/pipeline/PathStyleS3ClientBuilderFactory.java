package dev.connbal.pipeline;

import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds S3 clients that address buckets path-style ({@code http://endpoint/bucket/key}) instead of
 * virtual-host style ({@code http://bucket.endpoint/key}), for S3-compatible servers such as
 * S3Proxy, MinIO and Ceph whose bucket host names do not resolve.
 *
 * <p>Everything else (endpoint, region, credentials, HTTP and proxy settings) comes from the same
 * {@link ClientBuilderFactory} Beam's default factory uses, so {@code --endpoint}, {@code
 * --awsRegion} and {@code --awsCredentialsProvider} mean the same as without it. The clients also
 * leave out a header these servers reject ({@link BucketKeyDefaultHeaderRemover}). Selected by
 * {@code --s3-path-style}, or directly with {@code --s3ClientFactoryClass=} this class.
 */
public class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    S3ClientBuilder builder =
        ClientBuilderFactory.getFactory(options).create(S3Client.builder(), options);
    // Extend, not replace, the override configuration (retries, timeouts) set up above.
    ClientOverrideConfiguration configured = builder.overrideConfiguration();
    return builder
        .overrideConfiguration(
            configured.toBuilder()
                .addExecutionInterceptor(new BucketKeyDefaultHeaderRemover())
                .build())
        .forcePathStyle(true);
  }
}
