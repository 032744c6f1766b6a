package io.cartola.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A real SQS-compatible server for the tests: ElasticMQ 1.6.14 (from Maven Central, resolved by
 * {@code src/test/elasticmq/pom.xml}) started as a child process on a free port, one per test JVM.
 */
public final class ElasticMq {

    static final Path HARNESS = Path.of("src", "test", "elasticmq", "pom.xml");
    static final Path CLASSPATH = Path.of("target", "elasticmq.classpath");
    private static ElasticMq instance;

    private final Process process;
    private final int port;

    private ElasticMq(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static synchronized ElasticMq get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    /** The server's process id (the benchmarks read its CPU time). */
    public long pid() {
        return process.pid();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public SqsClient client() {
        return SqsClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** Creates a queue (with the attributes given, e.g. VisibilityTimeout) and returns its URL. */
    public String queue(String name, java.util.Map<software.amazon.awssdk.services.sqs.model.QueueAttributeName, String> attributes) {
        try (SqsClient sqs = client()) {
            return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
        }
    }

    private static ElasticMq start() {
        try {
            int port = MotoServer.freePort();
            Path log = Files.createTempFile("elasticmq", ".log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-Dnode-address.port=" + port, "-Drest-sqs.bind-port=" + port,
                    "-Drest-sqs.bind-hostname=127.0.0.1", "-Drest-stats.enabled=false",
                    "-cp", classpath(), "org.elasticmq.server.Main"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            for (int i = 0; i < 300; i++) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("ElasticMQ exited: " + Files.readString(log));
                }
                try {
                    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/?Action=ListQueues")
                            .toURL().openConnection();
                    c.setConnectTimeout(500);
                    if (c.getResponseCode() < 500) {
                        return new ElasticMq(process, port);
                    }
                } catch (IOException notYet) {
                    // starting
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("ElasticMQ did not start within 30 s: " + Files.readString(log));
        } catch (IOException e) {
            throw new IllegalStateException("could not start ElasticMQ", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** ElasticMQ's jars, resolved once by Maven from the harness pom (target/elasticmq.classpath). */
    private static String classpath() throws IOException, InterruptedException {
        if (!Files.exists(CLASSPATH)) {
            String mvnw = Path.of(System.getProperty("os.name").startsWith("Windows") ? "mvnw.cmd" : "mvnw").toAbsolutePath().toString();
            List<String> command = new ArrayList<>(List.of(mvnw, "-q", "-B", "-f", HARNESS.toString(),
                    "dependency:build-classpath", "-Dmdep.outputFile=" + CLASSPATH.toAbsolutePath()));
            Path log = Files.createTempFile("elasticmq-resolve", ".log");
            Process mvn = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (mvn.waitFor() != 0 || !Files.exists(CLASSPATH)) {
                throw new IllegalStateException("could not resolve ElasticMQ from " + HARNESS + ": " + Files.readString(log));
            }
        }
        return Files.readString(CLASSPATH).trim();
    }
}
