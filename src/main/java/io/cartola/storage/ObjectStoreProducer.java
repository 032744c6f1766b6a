package io.cartola.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import io.cartola.config.CartolaConfig;
import software.amazon.awssdk.services.s3.S3Client;

/** Picks the stores named by {@code cartola.storage}; each, and the S3 client, is only created when used. */
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

    /**
     * Access tokens: in S3 a bucket of their own, whose default encryption is a KMS key only cartola's
     * functions may use, so whoever reads the data cannot read them; locally a folder beside the data.
     */
    @Produces
    @ApplicationScoped
    @CredentialStore
    ObjectStore credentialStore(CartolaConfig config, Instance<S3Client> s3) {
        return switch (config.storage()) {
            case s3 -> new S3ObjectStore(s3.get(), config.credentials().bucket()
                    .orElseThrow(() -> new IllegalStateException(CartolaConfig.CREDENTIALS_BUCKET_REQUIRED)));
            case file -> new FileObjectStore(config.file().dir().resolve("credentials"));
        };
    }
}
