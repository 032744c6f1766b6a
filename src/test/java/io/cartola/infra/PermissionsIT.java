package io.cartola.infra;

import static io.cartola.testing.KhipuStandIn.json;
import static io.cartola.testing.KhipuStandIn.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.cartola.local.FunctionProcess;
import io.cartola.local.FunctionUrl;
import io.cartola.local.LocalCartola;
import io.cartola.local.RuntimeApi;
import io.cartola.queue.AccountTask;
import io.cartola.records.Accounts;
import io.cartola.testing.Envelopes;
import io.cartola.testing.KhipuStandIn;
import io.cartola.testing.MotoServer;
import io.cartola.testing.SqsEvents;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The packaged functions run under exactly the permissions the template gives them. The SAM-transformed template
 * is rendered for this test's account, region, stack, buckets, queues and secrets; each function gets an IAM user
 * in a moto_server that enforces IAM, with its role's inline policies, the AWS managed policies SAM attaches, and
 * its environment as the template sets it; it then runs (as Lambda runs it) on that user's keys against moto's
 * S3, SQS and Secrets Manager. Every flow must go through with nothing denied (answers, stored records, logs),
 * and each function is denied what it has no business doing.
 *
 * <p>What moto cannot enforce, and this test therefore does not see: the KMS key policy and its
 * {@code kms:ViaService} conditions (moto's S3 does not call KMS for SSE-KMS), resource policies (the buckets'
 * and queues' {@code DenyInsecureTransport}, the credentials bucket's encryption rules: not applied here, as the
 * test talks plain HTTP), the event source mapping's own use of the worker's role (played by the test with the
 * worker's keys), the roles' trust policies (users stand in for the roles), and the scheduler and
 * Function URL permissions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PermissionsIT {

    static final String STACK = "cartola-iam";
    static final String REGION = "us-east-1";
    static final String RESULTS = "cartola-iam-results";
    static final String TOKENS = "cartola-iam-credentials";
    static final String ACCOUNT_LIST = "lists/accounts.txt";
    static final Pattern DENIAL = Pattern.compile("AccessDenied|Access Denied|Status Code: 403|not authorized", Pattern.CASE_INSENSITIVE);

    static MotoServer moto;
    static final KhipuStandIn khipu = KhipuStandIn.get();
    static final Map<String, AwsCredentials> keys = new HashMap<>();
    static final Map<String, FunctionProcess> processes = new LinkedHashMap<>();
    static final Map<String, RuntimeApi> apis = new HashMap<>();
    static final List<String> answers = new CopyOnWriteArrayList<>();
    static FunctionUrl webhookUrl;
    static String workQueue;
    static String fetchDeadLetters;
    static Map<String, String> arns;

    @BeforeAll
    static void deploy() throws Exception {
        Assumptions.assumeTrue(cfnLintPresent(), "cfn-lint is not installed here (pip install cfn-lint): permissions not checked");
        SamTemplateTest.Run transformed = SamTemplateTest.run("python3", Path.of("src", "test", "resources", "sam-transform.py").toString(),
                SamTemplateTest.TEMPLATE.toString());
        assertEquals(0, transformed.exit(), transformed.output());
        JsonNode template = RenderedTemplate.JSON.readTree(transformed.output());

        moto = MotoServer.enforcingIam();
        try (S3Client s3 = s3(moto.admin()); SqsClient sqs = sqs(moto.admin()); SecretsManagerClient secrets = secrets(moto.admin())) {
            s3.createBucket(b -> b.bucket(RESULTS));
            s3.createBucket(b -> b.bucket(TOKENS));
            workQueue = sqs.createQueue(b -> b.queueName(STACK + "-work")
                    // short, so that a message the worker failed to delay would be back within the test's wait
                    .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "2"))).queueUrl();
            String workDeadLetters = sqs.createQueue(b -> b.queueName(STACK + "-work-dlq")).queueUrl();
            fetchDeadLetters = sqs.createQueue(b -> b.queueName(STACK + "-fetch-dlq")).queueUrl();
            String khipuSecret = secrets.createSecret(b -> b.name(STACK + "-khipu").secretString("{\"api-key\":\"iam-test-api-key-0123\"}")).arn();
            String signingKey = secrets.createSecret(b -> b.name(STACK + "-signing")
                    .secretString("iam-test-signing-key-0123456789-0123456789-0123456789-abcdefgh")).arn();
            arns = Map.of("khipu", khipuSecret, "signing", signingKey);

            apis.put("webhook", new RuntimeApi("webhook"));
            webhookUrl = new FunctionUrl(apis.get("webhook"));
            String queueArn = "arn:aws:sqs:" + REGION + ":" + MotoServer.ACCOUNT_ID + ":";
            Map<String, String> standIns = new HashMap<>(Map.of(
                    "ResultsBucket", RESULTS, "ResultsBucket.Arn", "arn:aws:s3:::" + RESULTS,
                    "CredentialsBucket", TOKENS, "CredentialsBucket.Arn", "arn:aws:s3:::" + TOKENS,
                    "KhipuCredentials", khipuSecret, "CallbackSigningKey", signingKey,
                    "WorkQueue", workQueue, "WorkQueue.Arn", queueArn + STACK + "-work",
                    "WorkDeadLetterQueue", workDeadLetters, "WorkDeadLetterQueue.Arn", queueArn + STACK + "-work-dlq"));
            standIns.putAll(Map.of("FetchDeadLetterQueue", fetchDeadLetters, "FetchDeadLetterQueue.Arn", queueArn + STACK + "-fetch-dlq",
                    "WebhookFunctionUrl.FunctionUrl", webhookUrl.url()));
            Map<String, String> parameters = Map.of("KhipuUrl", khipu.baseUrl(), "AccountsKey", ACCOUNT_LIST, "CallbackDeadline", "PT2S");
            Map<String, String> inProcess = new HashMap<>(parameters);
            inProcess.put("ScaleOut", "false");
            Map<String, String> scaled = new HashMap<>(parameters);
            scaled.put("ScaleOut", "true");
            RenderedTemplate alone = new RenderedTemplate(template, MotoServer.ACCOUNT_ID, REGION, STACK, inProcess, standIns);
            RenderedTemplate queued = new RenderedTemplate(template, MotoServer.ACCOUNT_ID, REGION, STACK, scaled, standIns);
            assertFalse(alone.exists("FetchWorkerFunction"));

            Map<String, RenderedTemplate.Function> functions = new LinkedHashMap<>();
            functions.put("webhook", queued.function("WebhookFunction"));
            functions.put("credentials", queued.function("CredentialsFunction"));
            functions.put("fetch", alone.function("FetchFunction"));
            functions.put("planner", queued.function("FetchFunction"));
            functions.put("worker", queued.function("FetchWorkerFunction"));
            functions.put("rebuild", queued.function("RebuildFunction"));
            try (IamClient iam = iam(moto.admin())) {
                functions.forEach((name, function) -> keys.put(name, identity(iam, name, function)));
            }
            Path logs = Files.createDirectories(Path.of("target", "it-logs", "permissions"));
            for (Map.Entry<String, RenderedTemplate.Function> f : functions.entrySet()) {
                String name = f.getKey();
                apis.putIfAbsent(name, new RuntimeApi(name));
                Map<String, String> env = new HashMap<>(f.getValue().environment());
                // what differs from AWS: the endpoints, and the keys Lambda would give the role
                env.put("QUARKUS_S3_ENDPOINT_OVERRIDE", moto.endpoint().toString());
                env.put("QUARKUS_S3_PATH_STYLE_ACCESS", "true");
                env.put("CARTOLA_SECRETS_ENDPOINT_OVERRIDE", moto.endpoint().toString());
                env.put("AWS_ACCESS_KEY_ID", keys.get(name).accessKeyId());
                env.put("AWS_SECRET_ACCESS_KEY", keys.get(name).secretAccessKey());
                processes.put(name, FunctionProcess.start(env.get("QUARKUS_FUNQY_EXPORT"), FunctionProcess.Launcher.fromSystemProperties(),
                        apis.get(name), env, logs.resolve(name + ".log")));
            }
        }
    }

    /** A user with the function role's policies, as the template gives them; its keys. */
    static AwsCredentials identity(IamClient iam, String name, RenderedTemplate.Function function) {
        String user = STACK + "-" + name;
        iam.createUser(b -> b.userName(user));
        function.inlinePolicies().forEach((policy, document) -> iam.putUserPolicy(b -> b.userName(user).policyName(policy)
                .policyDocument(versioned(document))));
        // moto knows AWS's managed policies (MOTO_IAM_LOAD_MANAGED_POLICIES): attached as SAM attaches them to the role
        function.managedPolicies().forEach(arn -> iam.attachUserPolicy(b -> b.userName(user).policyArn(arn)));
        var key = iam.createAccessKey(b -> b.userName(user)).accessKey();
        return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    }

    /**
     * SAM writes some policies (the EventInvokeConfig destination's) without a Version, which IAM reads as
     * 2008-10-17 and moto refuses; with no policy variables in them, 2012-10-17 means the same.
     */
    static String versioned(String document) {
        return document.contains("\"Version\"") ? document : document.replaceFirst("^\\{", "{\"Version\":\"2012-10-17\",");
    }

    @AfterAll
    static void undeploy() {
        processes.values().forEach(FunctionProcess::close);
        apis.values().forEach(RuntimeApi::close);
        if (webhookUrl != null) {
            webhookUrl.close();
        }
        if (moto != null) {
            moto.stop();
        }
    }

    static String invoke(String function, String event) throws Exception {
        RuntimeApi.Result result = LocalCartola.await(apis.get(function).invoke(event), apis.get(function), processes.get(function),
                Duration.ofMinutes(2));
        answers.add(function + ": " + result.body());
        assertFalse(result.error(), function + " failed: " + result.body());
        return result.body();
    }

    static JsonNode invokeJson(String function, String event) throws Exception {
        return RenderedTemplate.JSON.readTree(invoke(function, event));
    }

    static final String A = io.cartola.testing.Accounts.fresh();
    static final String B = io.cartola.testing.Accounts.fresh();
    /** The account Khipu keeps failing: the only one whose failures may be logged. */
    static final String DOWN = io.cartola.testing.Accounts.fresh();
    /** The account whose callback never comes: its request is recorded lost, with a warning. */
    static final String LOOKED = io.cartola.testing.Accounts.fresh();
    static final String TOKEN_A = "iam-test-access-token-" + UUID.randomUUID();

    @Test
    @Order(1)
    void theCredentialsFunctionRegistersReadsAndRevokesTokens() throws Exception {
        String gone = io.cartola.testing.Accounts.fresh();
        assertTrue(invokeJson("credentials", "{\"action\":\"register\",\"account\":\"" + A + "\",\"accessToken\":\"" + TOKEN_A + "\"}")
                .get("hasToken").asBoolean());
        invoke("credentials", "{\"action\":\"register\",\"account\":\"" + gone + "\",\"accessToken\":\"iam-test-token-to-revoke-0123\"}");
        assertFalse(invokeJson("credentials", "{\"action\":\"revoke\",\"account\":\"" + gone + "\"}").get("hasToken").asBoolean());
        assertFalse(invokeJson("credentials", "{\"action\":\"status\",\"account\":\"" + gone + "\"}").get("hasToken").asBoolean());
        try (S3Client s3 = s3(moto.admin())) {
            assertEquals(List.of("btgpactual.cl/account=" + A + ".json"),
                    s3.listObjectsV2(b -> b.bucket(TOKENS)).contents().stream().map(o -> o.key()).toList());
        }
    }

    @Test
    @Order(2)
    void inProcessFetchReadsTokensAndSecretsAndTheWebhookStoresTheCallback() throws Exception {
        khipu.accept(A, "op-iam-a");
        khipu.answer(B, Envelopes.ok("op-iam-b", Envelopes.transaction("iam-b1", "\"12.50\"", "b")));

        JsonNode asked = invokeJson("fetch", "{\"accounts\":[\"" + A + "\"],\"mode\":\"async\"}");
        assertEquals(1, asked.get("accepted").asInt(), asked.toString());
        var request = khipu.requests(A).get(0);
        assertEquals("Bearer " + TOKEN_A, request.getHeader("Authorization"), "the account's own token, read from its bucket");
        JsonNode stored = invokeJson("fetch", "{\"accounts\":[\"" + B + "\"],\"mode\":\"sync\"}");
        assertEquals(1, stored.get("stored").asInt(), stored.toString());
        assertEquals("iam-test-api-key-0123", khipu.requests(B).get(0).getHeader("x-api-key"), "Khipu's key, from Secrets Manager");

        // Khipu calls the webhook back at the CallbackUrl fetch gave it
        String callbackUrl = RenderedTemplate.JSON.readTree(request.getBodyAsString()).get("CallbackUrl").asText();
        assertTrue(callbackUrl.startsWith(webhookUrl.url()), callbackUrl);
        HttpResponse<String> delivered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(callbackUrl))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Envelopes.ok("op-iam-a", Envelopes.transaction("iam-a1", "\"7\"", "a"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        answers.add("webhook: " + delivered.statusCode() + " " + delivered.body());
        assertEquals(200, delivered.statusCode(), delivered.body());

        // the next run takes the callback into the state; the credentials function reads that state
        JsonNode next = invokeJson("fetch", "{\"accounts\":[\"" + A + "\"],\"mode\":\"async\"}");
        assertEquals(0, next.get("failed").asInt(), next.toString());
        invoke("credentials", "{\"action\":\"status\",\"account\":\"" + A + "\"}");
        try (S3Client s3 = s3(moto.admin())) {
            for (String account : List.of(A, B)) {
                assertTrue(s3.listObjectsV2(b -> b.bucket(RESULTS).prefix("view/")).contents().stream()
                        .anyMatch(o -> o.key().contains(account)), "the view of " + Accounts.mask(account));
            }
        }
    }

    @Test
    @Order(3)
    void scaledOutThePlannerQueuesAndTheWorkerFetchesBacksOffAndLooks() throws Exception {
        String accepted = LOOKED;
        String down = DOWN;
        khipu.accept(accepted, "op-iam-q");
        khipu.answer(accepted, Envelopes.ok("op-iam-q-sync", Envelopes.transaction("iam-q1", "\"3\"", "q")));
        khipu.stub(request(down, true).willReturn(json(503, "{\"message\":\"unavailable\"}")));
        try (S3Client s3 = s3(moto.admin())) {
            s3.putObject(b -> b.bucket(RESULTS).key(ACCOUNT_LIST), RequestBody.fromString(accepted + "\n" + down + "\n"));
        }
        // a scheduled run: the account list from the bucket, one message per account
        JsonNode plan = invokeJson("planner", "{\"mode\":\"async\"}");
        assertEquals(2, plan.get("queued").asInt(), plan.toString());

        try (SqsClient mapping = sqs(keys.get("worker"))) {
            // the event source mapping polls with the worker's role
            List<Message> batch = receive(mapping, 2, Duration.ofSeconds(10));
            assertEquals(2, batch.size());
            Message downMessage = batch.stream().filter(m -> m.body().contains(down)).findFirst().orElseThrow();
            List<String> failed = work(mapping, batch);
            assertEquals(List.of(downMessage.messageId()), failed, "only the account Khipu failed goes back");

            // put back with a backoff (15 s at least): not seen again within the queue's 2 s visibility timeout. The looks
            // come at the deadline (each request's, sent once it was in the account's state: the failed one's too)
            List<Message> later = receive(mapping, 2, Duration.ofSeconds(6));
            assertFalse(later.stream().anyMatch(m -> m.body().contains(down) && AccountTask.parse(m.body()).recheck() == null),
                    "the failed message was not delayed: " + later);
            Message look = later.stream().filter(m -> m.body().contains(accepted)).findFirst().orElseThrow();
            assertNotNull(AccountTask.parse(look.body()).recheck(), look.body());
            assertFalse(work(mapping, later).contains(look.messageId()));
            assertEquals(2, khipu.requests(accepted).size(), "no callback by the deadline: asked again, synchronously");
        }
        try (S3Client s3 = s3(moto.admin())) {
            assertTrue(s3.listObjectsV2(b -> b.bucket(RESULTS).prefix("raw/")).contents().stream()
                    .anyMatch(o -> o.key().contains(accepted)), "stored");
            assertTrue(s3.listObjectsV2(b -> b.bucket(RESULTS).prefix("operations/")).contents().stream()
                    .anyMatch(o -> o.key().endsWith(".lost.json")), "the lost request recorded");
        }
    }

    @Test
    @Order(4)
    void theRebuildFunctionRecomputesTheViewsFromRaw() throws Exception {
        String today = java.time.LocalDate.now(java.time.ZoneId.of("America/Santiago")).toString();
        String view = "view/btgpactual.cl/date=" + today + "/account=" + B + ".jsonl";
        String before;
        try (S3Client s3 = s3(moto.admin())) {
            before = s3.getObjectAsBytes(b -> b.bucket(RESULTS).key(view)).asString(StandardCharsets.UTF_8);
            s3.deleteObject(b -> b.bucket(RESULTS).key(view));
        }
        // every account with answers (a listing of raw/), then one
        JsonNode all = invokeJson("rebuild", "{\"from\":\"" + today + "\"}");
        assertTrue(all.get("written").asInt() >= 1, all.toString());
        JsonNode one = invokeJson("rebuild", "{\"from\":\"" + today + "\",\"accounts\":[\"" + B + "\"]}");
        assertEquals(List.of(0, 1), List.of(one.get("written").asInt(), one.get("unchanged").asInt()), one.toString());
        try (S3Client s3 = s3(moto.admin())) {
            assertEquals(before, s3.getObjectAsBytes(b -> b.bucket(RESULTS).key(view)).asString(StandardCharsets.UTF_8));
        }
    }

    /** Receives until {@code count} messages came or {@code wait} passed, as the mapping does. */
    static List<Message> receive(SqsClient sqs, int count, Duration wait) {
        List<Message> got = new ArrayList<>();
        long end = System.nanoTime() + wait.toNanos();
        while (got.size() < count && System.nanoTime() < end) {
            got.addAll(sqs.receiveMessage(b -> b.queueUrl(workQueue).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages());
        }
        return got;
    }

    /** Invokes the worker with the batch and deletes what it did not report failed, as the mapping does; the failures. */
    static List<String> work(SqsClient sqs, List<Message> batch) throws Exception {
        JsonNode answer = invokeJson("worker", SqsEvents.ofReceived(batch));
        List<String> failed = new ArrayList<>();
        answer.get("batchItemFailures").forEach(f -> failed.add(f.get("itemIdentifier").asText()));
        batch.stream().filter(m -> !failed.contains(m.messageId()))
                .forEach(m -> sqs.deleteMessage(b -> b.queueUrl(workQueue).receiptHandle(m.receiptHandle())));
        return failed;
    }

    @Test
    @Order(5)
    void eachFunctionIsDeniedWhatIsNotItsJob() {
        String state = "state/btgpactual.cl/account=" + A + ".json";
        String token = "btgpactual.cl/account=" + A + ".json";
        // the public webhook: no state, no tokens, no Khipu key, no queue, no deletes
        try (S3Client s3 = s3(keys.get("webhook")); SqsClient sqs = sqs(keys.get("webhook")); SecretsManagerClient sm = secrets(keys.get("webhook"))) {
            denied("webhook reads state", () -> s3.getObject(b -> b.bucket(RESULTS).key(state)));
            denied("webhook writes state", () -> s3.putObject(b -> b.bucket(RESULTS).key(state), RequestBody.fromString("{}")));
            denied("webhook reads a token", () -> s3.getObject(b -> b.bucket(TOKENS).key(token)));
            denied("webhook lists tokens", () -> s3.listObjectsV2(b -> b.bucket(TOKENS)));
            denied("webhook deletes raw", () -> s3.deleteObject(b -> b.bucket(RESULTS).key("raw/x.json")));
            denied("webhook reads Khipu's key", () -> sm.getSecretValue(b -> b.secretId(arns.get("khipu"))));
            denied("webhook queues", () -> sqs.sendMessage(b -> b.queueUrl(workQueue).messageBody("{}")));
        }
        // fetch: reads tokens, never writes them; deletes nothing; in-process it has no queue
        for (String fetch : List.of("fetch", "planner", "worker")) {
            try (S3Client s3 = s3(keys.get(fetch))) {
                denied(fetch + " writes a token", () -> s3.putObject(b -> b.bucket(TOKENS).key(token), RequestBody.fromString("{}")));
                denied(fetch + " deletes a token", () -> s3.deleteObject(b -> b.bucket(TOKENS).key(token)));
                denied(fetch + " deletes state", () -> s3.deleteObject(b -> b.bucket(RESULTS).key(state)));
                denied(fetch + " reads outside its prefixes", () -> s3.getObject(b -> b.bucket(RESULTS).key("other/x")));
            }
        }
        try (SqsClient fetch = sqs(keys.get("fetch")); SqsClient planner = sqs(keys.get("planner")); SqsClient worker = sqs(keys.get("worker"))) {
            denied("in-process fetch queues", () -> fetch.sendMessage(b -> b.queueUrl(workQueue).messageBody("{}")));
            denied("the planner receives", () -> planner.receiveMessage(b -> b.queueUrl(workQueue)));
            denied("the planner deletes", () -> planner.deleteMessage(b -> b.queueUrl(workQueue).receiptHandle("x")));
            denied("the worker empties the queue", () -> worker.purgeQueue(b -> b.queueUrl(workQueue)));
            denied("the worker sends to the runs' dead letters", () -> worker.sendMessage(b -> b.queueUrl(fetchDeadLetters).messageBody("{}")));
        }
        // the credentials function: tokens, and the state read-only; nothing of the data, not Khipu's key
        try (S3Client s3 = s3(keys.get("credentials")); SecretsManagerClient sm = secrets(keys.get("credentials"));
                SqsClient sqs = sqs(keys.get("credentials"))) {
            denied("credentials writes state", () -> s3.putObject(b -> b.bucket(RESULTS).key(state), RequestBody.fromString("{}")));
            denied("credentials reads raw", () -> s3.getObject(b -> b.bucket(RESULTS).key("raw/x.json")));
            denied("credentials reads the view", () -> s3.getObject(b -> b.bucket(RESULTS).key("view/x.jsonl")));
            denied("credentials reads Khipu's key", () -> sm.getSecretValue(b -> b.secretId(arns.get("khipu"))));
            denied("credentials queues", () -> sqs.sendMessage(b -> b.queueUrl(workQueue).messageBody("{}")));
        }
        deniedToRebuild(state, token);
    }

    static void deniedToRebuild(String state, String token) {
        // the rebuild: reads answers, writes views; nothing else
        try (S3Client s3 = s3(keys.get("rebuild")); SecretsManagerClient sm = secrets(keys.get("rebuild"));
                SqsClient sqs = sqs(keys.get("rebuild"))) {
            denied("rebuild writes raw", () -> s3.putObject(b -> b.bucket(RESULTS).key("raw/x.json"), RequestBody.fromString("{}")));
            denied("rebuild reads state", () -> s3.getObject(b -> b.bucket(RESULTS).key(state)));
            denied("rebuild deletes a view", () -> s3.deleteObject(b -> b.bucket(RESULTS).key("view/x.jsonl")));
            denied("rebuild reads a token", () -> s3.getObject(b -> b.bucket(TOKENS).key(token)));
            denied("rebuild reads the signing key", () -> sm.getSecretValue(b -> b.secretId(arns.get("signing"))));
            denied("rebuild queues", () -> sqs.sendMessage(b -> b.queueUrl(workQueue).messageBody("{}")));
        }
    }

    static void denied(String what, Runnable call) {
        try {
            call.run();
            fail(what + ": allowed");
        } catch (AwsServiceException e) {
            assertEquals(403, e.statusCode(), what + ": " + e.getMessage());
            // moto's Secrets Manager answers its 403 with a body the SDK reads no code from; elsewhere it is AccessDenied
            String code = e.awsErrorDetails().errorCode();
            assertTrue(code == null || code.startsWith("AccessDenied"), what + ": " + e.getMessage());
        }
    }

    @Test
    @Order(6)
    void nothingWasDeniedInAnswersRecordsOrLogs() throws Exception {
        for (String answer : answers) {
            assertFalse(DENIAL.matcher(answer).find(), answer);
        }
        try (S3Client s3 = s3(moto.admin())) {
            for (String bucket : List.of(RESULTS, TOKENS)) {
                for (var o : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
                    String text = s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asString(StandardCharsets.UTF_8);
                    assertFalse(DENIAL.matcher(text).find(), o.key() + ": " + text);
                }
            }
        }
        for (Map.Entry<String, FunctionProcess> p : processes.entrySet()) {
            for (String line : Files.readAllLines(p.getValue().log())) {
                assertFalse(DENIAL.matcher(line).find(), p.getKey() + ": " + line);
                // a failure the code only logs (a message it could not delay, a look it could not send) is a warning
                // or an error; the only ones expected are of the account Khipu kept failing and the lost callback
                if (line.contains("\"level\":\"WARN\"") || line.contains("\"level\":\"ERROR\"")) {
                    assertTrue(line.contains("account=" + Accounts.mask(DOWN))
                            || line.contains("account=" + Accounts.mask(LOOKED)) && line.contains(": LOST,"), p.getKey() + " logged: " + line);
                }
            }
        }
    }

    static boolean cfnLintPresent() {
        try {
            return SamTemplateTest.run("cfn-lint", "--version").exit() == 0;
        } catch (Exception absent) {
            return false;
        }
    }

    static StaticCredentialsProvider credentials(AwsCredentials key) {
        return StaticCredentialsProvider.create(key);
    }

    static S3Client s3(AwsCredentials key) {
        return S3Client.builder().endpointOverride(moto.endpoint()).forcePathStyle(true).region(Region.of(REGION))
                .credentialsProvider(credentials(key)).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    static SqsClient sqs(AwsCredentials key) {
        return SqsClient.builder().endpointOverride(moto.endpoint()).region(Region.of(REGION))
                .credentialsProvider(credentials(key)).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    static SecretsManagerClient secrets(AwsCredentials key) {
        return SecretsManagerClient.builder().endpointOverride(moto.endpoint()).region(Region.of(REGION))
                .credentialsProvider(credentials(key)).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    static IamClient iam(AwsCredentials key) {
        return IamClient.builder().endpointOverride(moto.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(credentials(key)).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }
}
