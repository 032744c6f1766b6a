package io.cartola.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Scaled out: {@code cartola.queue.url} is a fresh queue on ElasticMQ; {@code export()} picks fetch or fetch-worker. */
public class QueueProfile extends FetchProfile {

    private static volatile String url;

    /** The queue of the application running now. */
    public static String url() {
        return url;
    }

    /** A queue of its own per application start; the SDK finds a region and credentials as in Lambda. */
    public static class Queue implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Map<String, String> aws = Map.of("aws.region", "us-east-1", "aws.accessKeyId", "test", "aws.secretAccessKey", "test");
            aws.forEach(System::setProperty);
            Map<String, String> config = new HashMap<>(aws); // as -D options for a launched executable too
            url = ElasticMq.get().queue("cartola-" + UUID.randomUUID(), Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "5"));
            config.put("cartola.queue.url", url);
            return config;
        }

        @Override
        public void stop() {
            List.of("aws.region", "aws.accessKeyId", "aws.secretAccessKey").forEach(System::clearProperty);
        }
    }

    @Override
    public List<TestResourceEntry> testResources() {
        List<TestResourceEntry> resources = new java.util.ArrayList<>(super.testResources());
        resources.add(new TestResourceEntry(Queue.class));
        return resources;
    }

    /** The worker as its event source mapping runs it. */
    public static class Worker extends QueueProfile {
        @Override
        protected String export() {
            return "fetch-worker";
        }
    }
}
