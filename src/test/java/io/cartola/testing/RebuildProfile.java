package io.cartola.testing;

import java.util.Map;

/** The application as the rebuild Lambda runs it: S3 on moto, no signing key, no Khipu credential. */
public class RebuildProfile extends FetchProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
        config.remove("cartola.callback.secret");
        config.remove("cartola.khipu.api-key");
        return config;
    }

    @Override
    protected String export() {
        return "rebuild";
    }
}
