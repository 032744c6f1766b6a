package io.cartola.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points cartola's Khipu client at the WireMock stand-in. */
public class KhipuResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("cartola.khipu.url", KhipuStandIn.get().baseUrl());
    }

    @Override
    public void stop() {
        // shared by every test class of the JVM
    }
}
