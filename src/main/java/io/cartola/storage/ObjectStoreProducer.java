package io.cartola.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import io.cartola.config.CartolaConfig;
import software.amazon.awssdk.services.s3.S3Client;

/** Picks the store named by {@code cartola.storage}; the S3 client is only created when used. */
public class ObjectStoreProducer {

    @Produces
    @ApplicationScoped
    ObjectStore objectStore(CartolaConfig config, Instance<S3Client> s3) {
        return switch (config.storage()) {
            case s3 -> new S3ObjectStore(s3.get(), config.s3().bucket()
                    .orElseThrow(() -> new IllegalStateException(CartolaConfig.BUCKET_REQUIRED)));
            case file -> new FileObjectStore(config.file().dir());
        };
    }
}
