package io.cartola.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points cartola's S3 store at moto (see MotoServer). */
public class S3Resource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return config(MotoServer.get().endpoint().toString());
    }

    /** The settings that send cartola's S3 store to an S3 server at {@code endpoint}. */
    public static Map<String, String> config(String endpoint) {
        Map<String, String> config = new HashMap<>();
        config.put("cartola.storage", "s3");
        config.put("cartola.s3.bucket", MotoServer.BUCKET);
        config.put("cartola.credentials.bucket", MotoServer.CREDENTIALS_BUCKET);
        config.put("quarkus.s3.endpoint-override", endpoint);
        config.put("quarkus.s3.path-style-access", "true");
        config.put("quarkus.s3.aws.region", "us-east-1");
        config.put("quarkus.s3.aws.credentials.type", "static");
        config.put("quarkus.s3.aws.credentials.static-provider.access-key-id", "test");
        config.put("quarkus.s3.aws.credentials.static-provider.secret-access-key", "test");
        return config;
    }

    /** The same settings as the environment variables a function process reads. */
    public static Map<String, String> environment(String endpoint) {
        Map<String, String> env = new HashMap<>();
        config(endpoint).forEach((name, value) -> env.put(name.toUpperCase().replaceAll("[^A-Z0-9]", "_"), value));
        return env;
    }

    @Override
    public void stop() {
        // one moto server serves every test class of the JVM; it stops with the JVM
    }
}
