package io.cartola.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Trino 476 server (Athena engine v3 is built on Trino) for the tests, one per test JVM, started
 * as a child process on a free port (its folder and log in target/trino-run*): single node, a Hive catalog {@code hive} with a file metastore and
 * a local file system rooted at {@link #files()}, so a table's {@code local:///...} location is a
 * folder under it. The build unpacks the server into {@code target/trino} (pom.xml); it runs on Java 24+,
 * found through the {@code trino.java.home} property (pom.xml) or under /usr/lib/jvm.
 */
public final class Trino {

    static final int MIN_JAVA = 24;
    private static Trino instance;

    private final Process process;
    private final int port;
    private final Path files;

    private Trino(Process process, int port, Path files) {
        this.process = process;
        this.port = port;
        this.files = files;
    }

    public static synchronized Trino get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    /** The folder the Hive catalog's {@code local:///} locations are in. */
    public Path files() {
        return files;
    }

    /** A connection to the Hive catalog, as user {@code cartola}. */
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "cartola");
        return DriverManager.getConnection("jdbc:trino://127.0.0.1:" + port + "/hive", p);
    }

    private static Trino start() {
        try {
            Path home = Path.of(System.getProperty("trino.home", "target/trino/trino-server-476")).toAbsolutePath();
            if (!Files.isDirectory(home.resolve("lib"))) {
                throw new IllegalStateException("no Trino server at " + home + ": the build unpacks it there (pom.xml,"
                        + " execution trino-server of maven-dependency-plugin; run the tests through ./mvnw)");
            }
            Path java = javaHome().resolve("bin").resolve("java");
            Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "trino-run");
            Path files = Files.createDirectories(work.resolve("files"));
            Path etc = Files.createDirectories(work.resolve("etc"));
            Path catalogs = Files.createDirectories(etc.resolve("catalog"));
            int port = MotoServer.freePort();
            Files.writeString(etc.resolve("config.properties"), String.join("\n",
                    "coordinator=true",
                    "node-scheduler.include-coordinator=true",
                    // one node, its own worker: a heartbeat missed on a loaded machine must not take it out of service
                    "failure-detector.enabled=false",
                    "http-server.http.port=" + port,
                    "discovery.uri=http://127.0.0.1:" + port,
                    "plugin.dir=" + home.resolve("plugin"),
                    "catalog.config-dir=" + catalogs,
                    "query.max-memory=256MB",
                    "query.max-memory-per-node=256MB",
                    ""));
            Files.writeString(catalogs.resolve("hive.properties"), String.join("\n",
                    "connector.name=hive",
                    "hive.metastore=file",
                    "hive.metastore.catalog.dir=local:///hive-metastore",
                    "fs.native-local.enabled=true",
                    "local.location=" + files,
                    // a projected day without a folder is an empty day, as in Athena
                    "hive.ignore-absent-partitions=true",
                    // projected partitions have no statistics in the metastore (nor in Glue): don't look for them
                    "hive.table-statistics-enabled=false",
                    ""));
            Files.writeString(etc.resolve("log.properties"), "io.trino=WARN\n");
            Path log = work.resolve("server.log");
            List<String> command = new ArrayList<>(List.of(java.toString(),
                    "-Xmx1G", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1", "-Djdk.attach.allowAttachSelf=true",
                    "-XX:+EnableDynamicAgentLoading",
                    "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                    "-Dnode.environment=test", "-Dnode.id=" + UUID.randomUUID(), "-Dnode.bind-ip=127.0.0.1",
                    // the address the coordinator gives its own worker (else the machine's, which may not answer)
                    "-Dnode.internal-address=127.0.0.1",
                    "-Dnode.data-dir=" + Files.createDirectories(work.resolve("data")),
                    "-Dconfig=" + etc.resolve("config.properties"), "-Dlog.levels-file=" + etc.resolve("log.properties"),
                    "-cp", home.resolve("lib") + "/*", "io.trino.server.TrinoServer"));
            long started = System.nanoTime();
            Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            // about 15 s on 2 cores; minutes on a machine short of memory, so wait long: a server that dies says so at once
            long deadline = started + TimeUnit.MINUTES.toNanos(10);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Trino exited: " + tail(log));
                }
                if (ready(port)) {
                    System.out.printf("Trino started in %.1f s (log %s)%n", (System.nanoTime() - started) / 1e9, log);
                    return new Trino(process, port, files);
                }
                Thread.sleep(100);
            }
            process.destroy();
            throw new IllegalStateException("Trino did not start within 10 minutes: " + tail(log));
        } catch (IOException e) {
            throw new IllegalStateException("could not start Trino", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Ready once the coordinator says it has finished starting. */
    private static boolean ready(int port) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/v1/info").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            if (c.getResponseCode() != 200) {
                return false;
            }
            String info = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return info.replace(" ", "").contains("\"starting\":false");
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * The Java to run Trino on: {@code trino.java.home} when it holds a Java 24+, else the newest
     * Java 24+ under /usr/lib/jvm; none is an error, not a skip: the Athena queries would go untested.
     */
    static Path javaHome() throws IOException {
        String configured = System.getProperty("trino.java.home", "");
        if (!configured.isBlank() && javaVersion(Path.of(configured)).orElse(0) >= MIN_JAVA) {
            return Path.of(configured);
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                Optional<Path> found = homes.filter(h -> javaVersion(h).orElse(0) >= MIN_JAVA)
                        .max(Comparator.comparingInt(h -> javaVersion(h).orElse(0)));
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new IllegalStateException("Trino 476 needs Java " + MIN_JAVA + " or newer: none at trino.java.home ("
                + (configured.isBlank() ? "unset" : configured) + ") nor under /usr/lib/jvm; install one (e.g. Temurin 25)"
                + " and pass -Dtrino.java.home=<its home>");
    }

    /** The feature version in a JDK's {@code release} file (JAVA_VERSION="25.0.3"), if it has a java. */
    static Optional<Integer> javaVersion(Path home) {
        try {
            if (!Files.isExecutable(home.resolve("bin").resolve("java"))) {
                return Optional.empty();
            }
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    v = v.startsWith("1.") ? v.substring(2) : v;
                    return Optional.of(Integer.parseInt(v.split("[.+-]")[0]));
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
