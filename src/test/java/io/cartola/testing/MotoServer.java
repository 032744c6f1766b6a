package io.cartola.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * moto's server (installed on the build machines) as a real S3 and Secrets Manager endpoint, one per
 * test JVM, started as a child process. moto checks {@code If-Match} / {@code If-None-Match} and then
 * writes without a lock, so under load two racing conditional PUTs could both win (S3Mock 5.2.0 lets
 * several win even unloaded); it is started through {@code moto-atomic-put.py}, which makes PutObject
 * atomic, so that of racing conditional PUTs exactly one wins, as in S3, and the tests of view merges,
 * token claims and account state can fail.
 */
public final class MotoServer {

    public static final String BUCKET = "cartola-test";
    static final Path ATOMIC_PUT = Path.of("src", "test", "resources", "moto-atomic-put.py");
    /** The accounts' access tokens, apart from the data as in AWS. */
    public static final String CREDENTIALS_BUCKET = "cartola-test-credentials";
    private static MotoServer instance;
    private final Process process;
    private final int port;

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static synchronized MotoServer get() {
        if (instance == null) {
            instance = start(Map.of(), true);
        }
        return instance;
    }

    /** A server of one's own, with the test bucket. */
    public static MotoServer dedicated() {
        return start(Map.of(), true);
    }

    /** moto's account, in every ARN it makes. */
    public static final String ACCOUNT_ID = "123456789012";
    /** The administrator an IAM-enforcing server is set up with (see {@link #enforcingIam}). */
    public static final String ADMIN = "cartola-test-admin";

    /**
     * A server of one's own that checks every request against the caller's IAM policies, as AWS does (403 /
     * AccessDenied for an action its policies do not allow), with no bucket. moto lets only the first
     * {@code INITIAL_NO_AUTH_ACTION_COUNT} requests through unchecked: here the three that make an administrator
     * (AdministratorAccess), whose key is returned with the server; everything else must be signed by a known key.
     * AWS's managed policies (AWSLambdaBasicExecutionRole, AWSLambdaSQSQueueExecutionRole ...) are loaded, so
     * they can be attached as SAM attaches them.
     */
    public static MotoServer enforcingIam() {
        MotoServer server = start(Map.of("INITIAL_NO_AUTH_ACTION_COUNT", "3", "MOTO_IAM_LOAD_MANAGED_POLICIES", "true"), false);
        try (IamClient iam = IamClient.builder().endpointOverride(server.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            iam.createUser(b -> b.userName(ADMIN));
            iam.attachUserPolicy(b -> b.userName(ADMIN).policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
            var key = iam.createAccessKey(b -> b.userName(ADMIN)).accessKey();
            server.admin = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
        }
        return server;
    }

    private AwsBasicCredentials admin = AwsBasicCredentials.create("test", "test");

    /** The credentials that may do anything here: "test" on a server that checks nothing, the administrator's key on one that does. */
    public AwsBasicCredentials admin() {
        return admin;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public void stop() {
        process.destroy();
    }

    public SecretsManagerClient secretsManager() {
        return SecretsManagerClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** Creates a secret and returns its ARN. */
    public String secret(String name, String value) {
        try (SecretsManagerClient client = secretsManager()) {
            return client.createSecret(b -> b.name(name).secretString(value)).arn();
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static MotoServer start(Map<String, String> environment, boolean buckets) {
        try {
            int port = freePort();
            Path log = Files.createTempFile("moto", ".log");
            // moto_server, with its conditional PUTs made atomic as S3's are (see the script)
            ProcessBuilder builder = new ProcessBuilder(List.of("python3", ATOMIC_PUT.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port)))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            for (int i = 0; i < 150; i++) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("moto_server exited: " + Files.readString(log));
                }
                try {
                    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/moto-api/").toURL().openConnection();
                    c.setConnectTimeout(500);
                    if (c.getResponseCode() < 500) {
                        MotoServer server = new MotoServer(process, port);
                        if (buckets) {
                            try (var s3 = S3Objects.client(server.endpoint())) {
                                s3.createBucket(b -> b.bucket(BUCKET));
                                s3.createBucket(b -> b.bucket(CREDENTIALS_BUCKET));
                            }
                        }
                        return server;
                    }
                } catch (IOException notYet) {
                    // starting
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("moto_server did not start within 30 s");
        } catch (IOException e) {
            throw new IllegalStateException("moto_server is not installed: it stands in for S3 and Secrets Manager in tests"
                    + " (it comes with the build machines' Python)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
