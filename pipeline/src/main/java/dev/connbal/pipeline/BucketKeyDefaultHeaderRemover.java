package dev.connbal.pipeline;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Removes {@code x-amz-server-side-encryption-bucket-key-enabled: false} from S3 requests. Beam's
 * S3 file system sends it on every upload (it is the default of {@code --bucketKeyEnabled}), and
 * "false" only restates what S3 does without it; S3-compatible servers such as S3Proxy reject the
 * unknown header with 501 Not Implemented. A "true" value is kept: it asks for something.
 */
final class BucketKeyDefaultHeaderRemover implements ExecutionInterceptor {
  static final String HEADER = "x-amz-server-side-encryption-bucket-key-enabled";

  @Override
  public SdkHttpRequest modifyHttpRequest(
      Context.ModifyHttpRequest context, ExecutionAttributes executionAttributes) {
    SdkHttpRequest request = context.httpRequest();
    boolean isDefault =
        request.firstMatchingHeader(HEADER).map("false"::equalsIgnoreCase).orElse(false);
    return isDefault ? request.toBuilder().removeHeader(HEADER).build() : request;
  }
}
