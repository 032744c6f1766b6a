package io.cartola.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The application as the fetch Lambda runs it, with Khipu on WireMock and S3 on S3Mock. */
public class FetchProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.funqy.export", "fetch");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(S3MockResource.class), new TestResourceEntry(KhipuResource.class));
    }
}
