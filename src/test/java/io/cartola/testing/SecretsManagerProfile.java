package io.cartola.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The fetch function as deployed: some settings come from Secrets Manager (moto), read at start by
 * cartola's config source, and the SDK finds a region and credentials as Lambda gives them.
 */
public abstract class SecretsManagerProfile extends FetchProfile {

    /** The secrets a test class stores in moto, as the settings naming them ({@code cartola.khipu.secret-arn} ...). */
    public abstract static class Secrets implements QuarkusTestResourceLifecycleManager {

        protected abstract Map<String, String> store(MotoServer moto);

        @Override
        public Map<String, String> start() {
            // what Lambda gives every function: a region and the role's credentials (read by the SDK's default chains)
            System.setProperty("aws.region", "us-east-1");
            System.setProperty("aws.accessKeyId", "test");
            System.setProperty("aws.secretAccessKey", "test");
            Map<String, String> config = new HashMap<>(store(MotoServer.get()));
            config.put("cartola.secrets.endpoint-override", MotoServer.get().endpoint().toString());
            return config;
        }

        @Override
        public void stop() {
            System.clearProperty("aws.region");
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    /** The settings left to Secrets Manager: overrides outrank every source. */
    protected abstract List<String> fromSecretsManager();

    protected abstract Class<? extends Secrets> secrets();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        fromSecretsManager().forEach(config::remove);
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        List<TestResourceEntry> resources = new java.util.ArrayList<>(super.testResources());
        resources.add(new TestResourceEntry(secrets()));
        return resources;
    }
}
