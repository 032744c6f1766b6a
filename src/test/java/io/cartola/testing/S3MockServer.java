package io.cartola.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Adobe S3Mock as a separate process (its runnable jar, copied to target/test-servers by Maven),
 * one per test JVM, started on first use and stopped when the JVM exits.
 */
public final class S3MockServer {

    public static final String BUCKET = "cartola-test";
    private static S3MockServer instance;

    private Process process;
    private final int port;
    private final Path root;
    private final Path log;

    private S3MockServer(Process process, int port, Path root, Path log) {
        this.process = process;
        this.port = port;
        this.root = root;
        this.log = log;
    }

    /** A server of one's own (outage tests stop and restart it); its files survive a restart. */
    public static S3MockServer dedicated() {
        try {
            return start(freePort(), Files.createTempDirectory("s3mock-dedicated"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops this server's process, as an outage. */
    public synchronized void kill() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts this server again, on the same port with the same files. */
    public synchronized void restart() {
        process = start(port, root).process;
    }

    public static synchronized S3MockServer get() {
        if (instance == null || !instance.process.isAlive()) {
            instance = start();
        }
        return instance;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Stops the server (tests of S3 being unavailable); the next {@link #get()} starts a new one. */
    public static synchronized void stop() {
        if (instance != null) {
            instance.process.destroy();
            try {
                instance.process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            instance = null;
        }
    }

    private static S3MockServer start() {
        try {
            return start(freePort(), Files.createTempDirectory("s3mock"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static S3MockServer start(int port, Path root) {
        String jar = System.getProperty("s3mock.jar", "target/test-servers/s3mock.jar");
        if (!Files.exists(Path.of(jar))) {
            throw new IllegalStateException("S3Mock jar not found at " + jar + ": run the tests through Maven (./mvnw verify)");
        }
        try {
            Path log = root.resolveSibling(root.getFileName() + ".log");
            Process process = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar,
                    "--http.port=" + port, "--server.port=" + freePort(),
                    "--com.adobe.testing.s3mock.store.initial-buckets=" + BUCKET,
                    "--com.adobe.testing.s3mock.store.root=" + root,
                    "--com.adobe.testing.s3mock.store.retain-files-on-exit=true",
                    "--spring.main.banner-mode=off"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            S3MockServer server = new S3MockServer(process, port, root, log);
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            server.awaitReady(Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start S3Mock", e);
        }
    }

    private void awaitReady(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited: " + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) endpoint().toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("S3Mock did not start within " + timeout);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
