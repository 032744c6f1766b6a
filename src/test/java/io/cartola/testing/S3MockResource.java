package io.cartola.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points cartola's S3 store at S3Mock. */
public class S3MockResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "cartola.storage", "s3",
                "cartola.s3.bucket", S3MockServer.BUCKET,
                "quarkus.s3.endpoint-override", S3MockServer.get().endpoint().toString(),
                "quarkus.s3.path-style-access", "true",
                "quarkus.s3.aws.region", "us-east-1",
                "quarkus.s3.aws.credentials.type", "static",
                "quarkus.s3.aws.credentials.static-provider.access-key-id", "test",
                "quarkus.s3.aws.credentials.static-provider.secret-access-key", "test");
    }

    @Override
    public void stop() {
        // one S3Mock serves every test class of the JVM; it stops with the JVM
    }
}
