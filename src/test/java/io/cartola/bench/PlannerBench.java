package io.cartola.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import io.cartola.local.FunctionProcess;
import io.cartola.local.LocalCartola;
import io.cartola.local.RuntimeApi;
import io.cartola.testing.ElasticMq;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Scaling out, the planner: a started fetch (native and JVM) reads an account list of N lines from the
 * store and enqueues one message per account into ElasticMQ; wall time of that invocation and the
 * process's peak memory, for two list sizes, so that growth with the list shows beside the smaller run.
 */
final class PlannerBench {

    private PlannerBench() {
    }

    static void run(List<FunctionProcess.Launcher> launchers, List<Integer> sizes) throws Exception {
        Benchmarks.say("%n5. Planner: fetch reads a list of N accounts and queues one SQS message each (ElasticMQ on loopback)");
        Benchmarks.say("%-7s %9s %9s %10s %12s %14s", "mode", "accounts", "queued", "wall s", "accounts/s", "peak RSS MB");
        for (FunctionProcess.Launcher launcher : launchers) {
            for (int size : sizes) {
                Path data = Files.createTempDirectory(Benchmarks.WORK.toAbsolutePath(), "plan");
                Files.writeString(data.resolve("accounts.txt"), IntStream.range(0, size)
                        .mapToObj(i -> String.format("%012d", 700_000_000L + i)).collect(Collectors.joining("\n")));
                String queue = ElasticMq.get().queue("bench-plan-" + System.nanoTime(), Map.of());
                Map<String, String> env = Benchmarks.env(null, data);
                env.put("CARTOLA_ACCOUNTS_KEY", "accounts.txt");
                env.put("CARTOLA_QUEUE_URL", queue);
                env.put("AWS_REGION", "us-east-1");
                env.put("AWS_ACCESS_KEY_ID", "bench");
                env.put("AWS_SECRET_ACCESS_KEY", "bench");
                try (RuntimeApi api = new RuntimeApi("fetch");
                        FunctionProcess process = FunctionProcess.start("fetch", launcher, api, env,
                                Benchmarks.WORK.resolve("logs").resolve("plan-" + size + ".log"))) {
                    // warm: the first invocation pays the start
                    LocalCartola.await(api.invoke("{\"accounts\":[\"000000000001\"],\"mode\":\"async\"}"), api, process, Duration.ofMinutes(2));
                    long t0 = System.nanoTime();
                    RuntimeApi.Result r = LocalCartola.await(api.invoke("{\"mode\":\"async\"}"), api, process, Duration.ofMinutes(15));
                    double wall = (System.nanoTime() - t0) / 1e9;
                    JsonNode result = Benchmarks.JSON.readTree(r.body());
                    long peak = Benchmarks.hwm(process.pid());
                    try (SqsClient sqs = ElasticMq.get().client()) {
                        String inQueue = sqs.getQueueAttributes(b -> b.queueUrl(queue)
                                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
                        if (Integer.parseInt(inQueue) != size + 1) {
                            throw new IllegalStateException("expected " + (size + 1) + " messages in the queue, found " + inQueue);
                        }
                    }
                    Benchmarks.say("%-7s %9d %9d %10.2f %12.0f %14.1f", launcher.isNative() ? "native" : "jvm", size,
                            result.path("queued").asInt(), wall, size / wall, peak / 1024.0);
                }
            }
        }
    }
}
