package io.cartola.queue;

import java.net.URI;
import java.util.Optional;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.cartola.config.CartolaConfig;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The queue named by {@code cartola.queue.url}, or none (fetch then works in-process). The client talks to the
 * queue URL's own host (SQS's regional endpoint, or a local SQS server) and finds its region and
 * credentials as every AWS SDK client does in Lambda.
 */
public class QueueProducer {

    @Produces
    @Singleton
    Optional<AccountQueue> queue(CartolaConfig config) {
        return config.queue().url().map(url -> new SqsAccountQueue(client(url), url));
    }

    static SqsClient client(URI url) {
        return SqsClient.builder()
                .endpointOverride(URI.create(url.getScheme() + "://" + url.getAuthority()))
                .region(region(url))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** The environment's region (AWS_REGION in Lambda), else the one in an SQS URL's host, else us-east-1. */
    static Region region(URI url) {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException none) {
            String host = url.getHost();
            return host.startsWith("sqs.") && host.endsWith(".amazonaws.com")
                    ? Region.of(host.substring(4, host.length() - ".amazonaws.com".length()))
                    : Region.US_EAST_1;
        }
    }
}
