package io.cartola.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * cartola deployed on loopback as it is in AWS: the fetch and webhook functions as two processes,
 * each polling its own Lambda Runtime API, and the webhook behind a Function URL.
 */
public final class LocalCartola implements AutoCloseable {

    private final RuntimeApi fetchApi;
    private final RuntimeApi webhookApi;
    private final FunctionUrl functionUrl;
    private final FunctionProcess fetch;
    private final FunctionProcess webhook;

    private LocalCartola(RuntimeApi fetchApi, RuntimeApi webhookApi, FunctionUrl functionUrl, FunctionProcess fetch,
            FunctionProcess webhook) {
        this.fetchApi = fetchApi;
        this.webhookApi = webhookApi;
        this.functionUrl = functionUrl;
        this.fetch = fetch;
        this.webhook = webhook;
    }

    /** Starts both functions with {@code env} (cartola settings), the webhook's URL added as CARTOLA_CALLBACK_URL. */
    public static LocalCartola start(FunctionProcess.Launcher launcher, Map<String, String> env, Path logs) throws IOException {
        RuntimeApi webhookApi = new RuntimeApi("webhook");
        RuntimeApi fetchApi = new RuntimeApi("fetch");
        FunctionUrl url = new FunctionUrl(webhookApi);
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("CARTOLA_CALLBACK_URL", url.url());
        FunctionProcess webhook = FunctionProcess.start("webhook", launcher, webhookApi, all, logs.resolve("webhook.log"));
        FunctionProcess fetch = FunctionProcess.start("fetch", launcher, fetchApi, all, logs.resolve("fetch.log"));
        return new LocalCartola(fetchApi, webhookApi, url, fetch, webhook);
    }

    public String webhookUrl() {
        return functionUrl.url();
    }

    /** Invokes fetch with {@code event} and waits for its answer. */
    public RuntimeApi.Result invokeFetch(String event, Duration timeout) throws Exception {
        return await(fetchApi.invoke(event), fetchApi, fetch, timeout);
    }

    public static RuntimeApi.Result await(CompletableFuture<RuntimeApi.Result> result, RuntimeApi api, FunctionProcess process,
            Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return result.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException notYet) {
                if (api.initError().isDone()) {
                    throw new IllegalStateException("the function could not start: " + api.initError().get()
                            + "\n" + process.tail(30));
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("the function process exited; its log ends with:\n" + process.tail(30));
                }
            }
        }
        throw new TimeoutException("no answer within " + timeout + "; the function's log ends with:\n" + process.tail(30));
    }

    public FunctionProcess fetchProcess() {
        return fetch;
    }

    public FunctionProcess webhookProcess() {
        return webhook;
    }

    @Override
    public void close() {
        fetch.close();
        webhook.close();
        functionUrl.close();
        fetchApi.close();
        webhookApi.close();
    }
}
