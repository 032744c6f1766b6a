package io.cartola.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import io.cartola.local.DemoKhipu;
import io.cartola.local.FunctionProcess;
import io.cartola.local.LocalCartola;
import io.cartola.local.RuntimeApi;
import io.cartola.testing.ElasticMq;
import io.cartola.testing.SqsEvents;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Scaling out, end to end: fetch plans N accounts into ElasticMQ; W fetch-worker processes, each fed by
 * a loop that plays Lambda's event source mapping (receive up to ten, invoke, delete what did not fail),
 * fetch them from a Khipu stand-in that answers each request after 200 ms. Wall time from the planning
 * invocation to the last account fetched, against the ideal {@code N × 0.2 s / (W × C)}; and, in the same
 * run, the same accounts fetched by one in-process fetch at the same concurrency (W × C), as the baseline.
 */
final class QueueBench {

    static final Duration ANSWER = Duration.ofMillis(200);

    private QueueBench() {
    }

    static void run(FunctionProcess.Launcher launcher, int accounts, int workers, int batch) throws Exception {
        int concurrency = workers * batch;
        double ideal = accounts * ANSWER.toMillis() / 1000.0 / concurrency;
        Benchmarks.say("%n6. Scaled out, end to end (%s): %d accounts, stand-in Khipu answering after %d ms, %d workers x %d at once;"
                + " ideal %.1f s", launcher.isNative() ? "native" : "jvm", accounts, ANSWER.toMillis(), workers, batch, ideal);
        Benchmarks.say("%-34s %10s %10s %10s %12s", "", "fetched", "wall s", "ideal s", "over ideal");
        try (DemoKhipu khipu = new DemoKhipu(null, ANSWER)) {
            double baseline = inProcess(launcher, khipu, accounts, concurrency);
            Benchmarks.say("%-34s %10d %10.2f %10.2f %11.1f%%", "in-process fetch, concurrency " + concurrency, accounts, baseline,
                    ideal, (baseline / ideal - 1) * 100);
            Result queued = queued(launcher, khipu, accounts, workers, batch);
            Benchmarks.say("%-34s %10d %10.2f %10.2f %11.1f%%", "planner + queue + " + workers + " workers", queued.fetched(),
                    queued.wall(), ideal, (queued.wall() / ideal - 1) * 100);
            Benchmarks.say("  of which planning %.2f s; first account fetched %.2f s after the planning began; %d worker invocations,"
                    + " mean %.0f ms each (ideal %.0f ms)", queued.planning(), queued.firstFetched(), queued.invocations(),
                    queued.meanInvocationMs(), (double) ANSWER.toMillis());
            Benchmarks.say("  CPU meanwhile, of %d cores x %.2f s = %.1f s: workers %.1f s, planner %.1f s, ElasticMQ %.1f s, this JVM"
                    + " (stand-in Khipu, pollers, Runtime APIs) %.1f s", Runtime.getRuntime().availableProcessors(), queued.wall(),
                    Runtime.getRuntime().availableProcessors() * queued.wall(), queued.cpu().workers(), queued.cpu().planner(),
                    queued.cpu().queue(), queued.cpu().bench());
        }
    }

    static Path accountList(Path data, int accounts, long first) throws Exception {
        Files.writeString(data.resolve("accounts.txt"), IntStream.range(0, accounts)
                .mapToObj(i -> String.format("%012d", first + i)).collect(Collectors.joining("\n")));
        return data;
    }

    /** One fetch invocation fetching every account itself; its wall time in seconds. */
    static double inProcess(FunctionProcess.Launcher launcher, DemoKhipu khipu, int accounts, int concurrency) throws Exception {
        Path data = accountList(Files.createTempDirectory(Benchmarks.WORK.toAbsolutePath(), "inproc"), accounts, 800_000_000L);
        Map<String, String> env = Benchmarks.env(khipu, data);
        env.put("CARTOLA_ACCOUNTS_KEY", "accounts.txt");
        env.put("CARTOLA_FETCH_CONCURRENCY", String.valueOf(concurrency));
        try (RuntimeApi api = new RuntimeApi("fetch");
                FunctionProcess process = FunctionProcess.start("fetch", launcher, api, env,
                        Benchmarks.WORK.resolve("logs").resolve("e2e-inprocess.log"))) {
            LocalCartola.await(api.invoke("{\"accounts\":[\"000000000001\"],\"mode\":\"async\"}"), api, process, Duration.ofMinutes(2));
            long t0 = System.nanoTime();
            RuntimeApi.Result r = LocalCartola.await(api.invoke("{\"mode\":\"async\"}"), api, process, Duration.ofMinutes(30));
            double wall = (System.nanoTime() - t0) / 1e9;
            JsonNode result = Benchmarks.JSON.readTree(r.body());
            if (result.path("accepted").asInt() != accounts) {
                throw new IllegalStateException("in-process fetch accepted " + result.path("accepted") + " of " + accounts);
            }
            return wall;
        }
    }

    record Result(int fetched, double wall, double planning, double firstFetched, int invocations, double meanInvocationMs, Cpu cpu) {
    }

    /** CPU seconds spent by each part of the run (user and system). */
    record Cpu(double workers, double planner, double queue, double bench) {

        static Cpu of(List<FunctionProcess> workers, FunctionProcess planner) {
            return new Cpu(workers.stream().mapToDouble(w -> seconds(w.pid())).sum(), seconds(planner.pid()),
                    seconds(ElasticMq.get().pid()), seconds(ProcessHandle.current().pid()));
        }

        static double seconds(long pid) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
        }

        Cpu minus(Cpu before) {
            return new Cpu(workers - before.workers, planner - before.planner, queue - before.queue, bench - before.bench);
        }
    }

    static Result queued(FunctionProcess.Launcher launcher, DemoKhipu khipu, int accounts, int workers, int batch) throws Exception {
        Path data = accountList(Files.createTempDirectory(Benchmarks.WORK.toAbsolutePath(), "queued"), accounts, 900_000_000L);
        String queue = ElasticMq.get().queue("bench-e2e-" + System.nanoTime(), Map.of());
        Map<String, String> env = Benchmarks.env(khipu, data);
        env.put("CARTOLA_ACCOUNTS_KEY", "accounts.txt");
        env.put("CARTOLA_QUEUE_URL", queue);
        env.put("CARTOLA_FETCH_CONCURRENCY", String.valueOf(batch));
        // the looks at the accepted requests come after the benchmark
        env.put("CARTOLA_CALLBACK_DEADLINE", "PT1H");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "bench");
        env.put("AWS_SECRET_ACCESS_KEY", "bench");
        List<RuntimeApi> apis = new ArrayList<>();
        List<FunctionProcess> processes = new ArrayList<>();
        ExecutorService mappings = Executors.newFixedThreadPool(2 * workers);
        try (RuntimeApi plannerApi = new RuntimeApi("fetch");
                FunctionProcess planner = FunctionProcess.start("fetch", launcher, plannerApi, env,
                        Benchmarks.WORK.resolve("logs").resolve("e2e-planner.log"))) {
            for (int i = 0; i < workers; i++) {
                RuntimeApi api = new RuntimeApi("fetch-worker");
                apis.add(api);
                processes.add(FunctionProcess.start("fetch-worker", launcher, api, env,
                        Benchmarks.WORK.resolve("logs").resolve("e2e-worker-" + i + ".log")));
            }
            // warm every process: a first invocation pays its start
            LocalCartola.await(plannerApi.invoke("{\"accounts\":[\"000000000002\"],\"mode\":\"async\"}"), plannerApi, planner,
                    Duration.ofMinutes(2));
            for (int i = 0; i < workers; i++) {
                LocalCartola.await(apis.get(i).invoke(SqsEvents.of(List.of())), apis.get(i), processes.get(i), Duration.ofMinutes(2));
            }
            try (SqsClient sqs = ElasticMq.get().client()) {
                drain(sqs, queue); // the warm-up's message
            }
            warmQueueServer(accounts);
            AtomicInteger fetched = new AtomicInteger();
            AtomicInteger invocations = new AtomicInteger();
            AtomicLong invocationNanos = new AtomicLong();
            AtomicLong first = new AtomicLong();
            Cpu cpu0 = Cpu.of(processes, planner);
            long t0 = System.nanoTime();
            List<Future<?>> loops = new ArrayList<>();
            ExecutorService deleter = Executors.newFixedThreadPool(workers);
            SqsClient deletes = ElasticMq.get().client();
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            for (int i = 0; i < workers; i++) {
                RuntimeApi api = apis.get(i);
                FunctionProcess process = processes.get(i);
                // as Lambda's event source mapping: pollers receive apart from the invocations (one batch ready
                // while the function works), and deletes do not hold up the next invocation
                java.util.concurrent.BlockingQueue<List<Message>> ready = new java.util.concurrent.ArrayBlockingQueue<>(1);
                loops.add(mappings.submit(() -> {
                    try (SqsClient sqs = ElasticMq.get().client()) {
                        while (!done.get()) {
                            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(batch).waitTimeSeconds(1)
                                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
                            while (!got.isEmpty() && !done.get() && !ready.offer(got, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                                // the function is still at the previous batch
                            }
                        }
                    }
                    return null;
                }));
                loops.add(mappings.submit(() -> {
                    {
                        while (fetched.get() < accounts) {
                            List<Message> got = ready.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                            if (got == null) {
                                continue;
                            }
                            long s = System.nanoTime();
                            RuntimeApi.Result r = LocalCartola.await(api.invoke(SqsEvents.ofReceived(got)), api, process,
                                    Duration.ofMinutes(5));
                            invocationNanos.addAndGet(System.nanoTime() - s);
                            invocations.incrementAndGet();
                            JsonNode failures = Benchmarks.JSON.readTree(r.body()).path("batchItemFailures");
                            HashSet<String> failed = new HashSet<>();
                            failures.forEach(f -> failed.add(f.path("itemIdentifier").asText()));
                            // as Lambda does: one DeleteMessageBatch for the messages the worker did not name
                            List<software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry> delete = got.stream()
                                    .filter(m -> !failed.contains(m.messageId()))
                                    .map(m -> software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                                            .id(m.messageId()).receiptHandle(m.receiptHandle()).build()).toList();
                            if (!delete.isEmpty()) {
                                deleter.submit(() -> deletes.deleteMessageBatch(b -> b.queueUrl(queue).entries(delete)));
                            }
                            first.compareAndSet(0, System.nanoTime());
                            fetched.addAndGet(got.size() - failed.size());
                        }
                        done.set(true);
                    }
                    return null;
                }));
            }
            RuntimeApi.Result plan = LocalCartola.await(plannerApi.invoke("{\"mode\":\"async\"}"), plannerApi, planner,
                    Duration.ofMinutes(10));
            double planning = (System.nanoTime() - t0) / 1e9;
            if (Benchmarks.JSON.readTree(plan.body()).path("queued").asInt() != accounts) {
                throw new IllegalStateException("planned " + plan.body().substring(0, Math.min(300, plan.body().length())));
            }
            for (Future<?> loop : loops) {
                loop.get(30, java.util.concurrent.TimeUnit.MINUTES);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            Cpu cpu = Cpu.of(processes, planner).minus(cpu0);
            deleter.shutdown();
            deleter.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
            deletes.close();
            int asked = khipu.requestCount(900_000_000L, accounts);
            if (asked != accounts) {
                throw new IllegalStateException("Khipu was asked " + asked + " times for " + accounts + " accounts");
            }
            return new Result(fetched.get(), wall, planning, (first.get() - t0) / 1e9, invocations.get(),
                    invocationNanos.get() / 1e6 / Math.max(1, invocations.get()), cpu);
        } finally {
            mappings.shutdownNow();
            processes.forEach(FunctionProcess::close);
            apis.forEach(RuntimeApi::close);
        }
    }

    /**
     * SQS is warm when a run starts; ElasticMQ is a JVM that compiles as it goes. Before the clock starts, as
     * many messages as the run's go through a scratch queue the way the run's do (sent ten a call, received,
     * deleted), on as many threads as the run has pollers.
     */
    static void warmQueueServer(int messages) throws Exception {
        String scratch = ElasticMq.get().queue("bench-warm-" + System.nanoTime(), Map.of());
        ExecutorService threads = Executors.newFixedThreadPool(5);
        try (SqsClient sqs = ElasticMq.get().client()) {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < messages; i += 10) {
                int from = i;
                sent.add(threads.submit(() -> sqs.sendMessageBatch(b -> b.queueUrl(scratch).entries(IntStream.range(from, from + 10)
                        .mapToObj(j -> software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
                                .id(String.valueOf(j)).messageBody("{\"warm\":" + j + "}").build()).toList()))));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            List<Future<?>> received = new ArrayList<>();
            for (int t = 0; t < 5; t++) {
                received.add(threads.submit(() -> {
                    List<Message> got;
                    while (!(got = sqs.receiveMessage(b -> b.queueUrl(scratch).maxNumberOfMessages(10).waitTimeSeconds(1)).messages())
                            .isEmpty()) {
                        List<Message> batch = got;
                        sqs.deleteMessageBatch(b -> b.queueUrl(scratch).entries(batch.stream().map(m -> software.amazon.awssdk.services.sqs
                                .model.DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build())
                                .toList()));
                    }
                    return null;
                }));
            }
            for (Future<?> f : received) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    static void drain(SqsClient sqs, String queue) {
        while (true) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            if (got.isEmpty()) {
                return;
            }
            got.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle())));
        }
    }
}
