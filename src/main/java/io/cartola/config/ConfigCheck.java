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
        boolean fetch = export.isEmpty() || export.equals("fetch");
        boolean webhook = export.isEmpty() || export.equals("webhook");
        List<String> problems = new ArrayList<>();
        if (fetch) {
            boolean key = config.khipu().apiKey().isPresent();
            boolean bearer = config.khipu().bearerToken().isPresent();
            if (key == bearer) {
                problems.add(key
                        ? "set only one of cartola.khipu.api-key and cartola.khipu.bearer-token, not both"
                        : "cartola.khipu.api-key (or cartola.khipu.bearer-token) is required");
            }
            if (config.callback().url().isEmpty()) {
                problems.add("cartola.callback.url is required (the webhook's public URL, for asynchronous fetches)");
            }
            if (config.fetch().concurrency() < 1) {
                problems.add("cartola.fetch.concurrency must be at least 1");
            }
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
        return problems;
    }
}
