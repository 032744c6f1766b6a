package io.cartola.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;

/**
 * Fails start-up, naming the setting, when what the exported function needs is missing, instead of
 * failing later on the first invocation.
 */
@ApplicationScoped
public class ConfigCheck {

    static final int MIN_SECRET_LENGTH = 32;

    void onStart(@Observes StartupEvent event, CartolaConfig config,
            @ConfigProperty(name = "quarkus.funqy.export") Optional<String> export) {
        List<String> problems = problems(config, export.orElse(""));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("cartola is misconfigured: " + String.join("; ", problems));
        }
    }

    static List<String> problems(CartolaConfig config, String export) {
        boolean fetch = export.isEmpty() || export.equals("fetch") || export.equals("fetch-worker");
        boolean webhook = export.isEmpty() || export.equals("webhook");
        boolean credentials = export.isEmpty() || export.equals("credentials");
        List<String> problems = new ArrayList<>();
        if (fetch) {
            problems.addAll(khipuCredential(config.khipu()));
            if (config.callback().url().isEmpty()) {
                problems.add("cartola.callback.url is required (the webhook's public URL, for asynchronous fetches)");
            }
            if (config.fetch().concurrency() < 1) {
                problems.add("cartola.fetch.concurrency must be at least 1");
            }
        }
        // an account started at the last moment (3/5 of the timeout left) must still finish within it
        java.time.Duration least = config.fetch().accountBudget().multipliedBy(5).dividedBy(3);
        if (export.equals("fetch-worker") && config.fetch().timeout().filter(t -> t.compareTo(least) < 0).isPresent()) {
            problems.add("cartola.fetch.timeout (the template's WorkerTimeout) must be at least " + least.toSeconds()
                    + " s for fetch-worker: one account may take " + config.fetch().accountBudget().toSeconds()
                    + " s (cartola.fetch.account-budget: Khipu's retries and timeouts), and accounts start only while 3/5 of"
                    + " the timeout remains");
        }
        if (fetch || webhook) {
            Optional<String> secret = config.callback().secret();
            if (secret.isEmpty()) {
                problems.add("cartola.callback.secret is required");
            } else if (secret.get().length() < MIN_SECRET_LENGTH) {
                problems.add("cartola.callback.secret must be at least " + MIN_SECRET_LENGTH + " characters");
            }
        }
        if (config.storage() == CartolaConfig.StorageKind.s3 && config.s3().bucket().isEmpty()) {
            problems.add(CartolaConfig.BUCKET_REQUIRED);
        }
        if ((fetch || credentials) && config.storage() == CartolaConfig.StorageKind.s3
                && config.credentials().bucket().isEmpty()) {
            problems.add(CartolaConfig.CREDENTIALS_BUCKET_REQUIRED);
        }
        return problems;
    }

    /** The deployment's own credential for accounts without a token of their own: exactly one kind. */
    static List<String> khipuCredential(CartolaConfig.Khipu khipu) {
        boolean clientCredentials = khipu.clientId().isPresent() || khipu.clientSecret().isPresent();
        int kinds = (khipu.apiKey().isPresent() ? 1 : 0) + (khipu.bearerToken().isPresent() ? 1 : 0) + (clientCredentials ? 1 : 0);
        if (kinds == 0) {
            return List.of("a Khipu credential is required: cartola.khipu.client-id with client-secret and token-url, "
                    + "cartola.khipu.bearer-token, or cartola.khipu.api-key");
        }
        if (kinds > 1) {
            return List.of("set only one Khipu credential: cartola.khipu.client-id/client-secret, "
                    + "cartola.khipu.bearer-token or cartola.khipu.api-key (Khipu takes one or the other, never both)");
        }
        List<String> problems = new ArrayList<>();
        if (clientCredentials) {
            if (khipu.clientId().isEmpty()) {
                problems.add("cartola.khipu.client-id is required with cartola.khipu.client-secret");
            }
            if (khipu.clientSecret().isEmpty()) {
                problems.add("cartola.khipu.client-secret is required with cartola.khipu.client-id");
            }
            if (khipu.tokenUrl().isEmpty()) {
                problems.add("cartola.khipu.token-url is required with client credentials (Khipu's token endpoint)");
            } else if (!khipu.tokenUrl().get().isAbsolute()) {
                problems.add("cartola.khipu.token-url must be an absolute https URL, got " + khipu.tokenUrl().get());
            }
        }
        return problems;
    }
}
