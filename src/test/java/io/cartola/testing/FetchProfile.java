package io.cartola.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The application as the fetch Lambda runs it, with Khipu on WireMock and S3 on moto. */
public class FetchProfile implements QuarkusTestProfile {

    /** Known to the tests, so they can sign callbacks the application accepts. */
    public static final String CALLBACK_SECRET = "test-secret-0123456789-0123456789-abcdef";
    public static final String API_KEY = "test-api-key-0123456789";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new java.util.HashMap<>(Map.of(
                "quarkus.funqy.export", export(),
                "cartola.khipu.api-key", API_KEY,
                "cartola.callback.url", "https://webhook.example.test/",
                "cartola.callback.secret", CALLBACK_SECRET,
                "cartola.accounts", "000011887755,000022334455"));
        config.putAll(overrides());
        return config;
    }

    /** What a test class's own profile sets on top of these. */
    protected Map<String, String> overrides() {
        return Map.of();
    }

    protected String export() {
        return "fetch";
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(S3Resource.class), new TestResourceEntry(KhipuResource.class));
    }
}
