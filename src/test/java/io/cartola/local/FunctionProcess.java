package io.cartola.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One cartola Lambda function as a local process, polling a {@link RuntimeApi}: the native
 * executable ({@code bootstrap}) if given, else the JVM runner jar under AWS's Runtime Interface
 * Client, which is what Lambda's Java runtime does with the handler.
 */
public final class FunctionProcess implements AutoCloseable {

    static final String HANDLER = "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest";

    /** How to start the function: a native executable, or the runner jar with the Runtime Interface Client. */
    public record Launcher(Path executable, Path runnerJar, String ricClasspath) {

        public static Launcher nativeExecutable(Path executable) {
            return new Launcher(executable, null, null);
        }

        public static Launcher jvm(Path runnerJar, String ricClasspath) {
            return new Launcher(null, runnerJar, ricClasspath);
        }

        /**
         * From the system properties Maven passes: the native executable (cartola.native, or native.image.path in a
         * -Dnative build) if there is one, else cartola.runner with lambda.ric.classpath.
         */
        public static Launcher fromSystemProperties() {
            String nativeExecutable = System.getProperty("cartola.native", "");
            if (nativeExecutable.isBlank()) {
                nativeExecutable = System.getProperty("native.image.path", "");
            }
            if (!nativeExecutable.isBlank() && Files.isExecutable(Path.of(nativeExecutable))) {
                return nativeExecutable(Path.of(nativeExecutable));
            }
            return jvm(Path.of(System.getProperty("cartola.runner", "target/cartola-0.1.0-SNAPSHOT-runner.jar")),
                    System.getProperty("lambda.ric.classpath", ""));
        }

        public boolean isNative() {
            return executable != null;
        }

        List<String> command() {
            if (executable != null) {
                return List.of(executable.toAbsolutePath().toString());
            }
            if (!Files.exists(runnerJar)) {
                throw new IllegalStateException(runnerJar + " not found: build it first (./mvnw package)");
            }
            return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-D" + JNI_PROPERTY + "=" + jniLibrary(),
                    "-cp", runnerJar.toAbsolutePath() + java.io.File.pathSeparator + ricClasspath,
                    "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", HANDLER);
        }

        /**
         * The client's JNI library, unpacked once. Left to itself the client unpacks it to one fixed
         * path, /tmp/.libaws-lambda-jni.so, at every start, and two processes starting together crash
         * (SIGBUS) loading a file the other is rewriting.
         */
        private Path jniLibrary() {
            String name = "libaws-lambda-jni.linux-" + (System.getProperty("os.arch").contains("aarch64") ? "aarch_64" : "x86_64") + ".so";
            Path target = runnerJar.toAbsolutePath().getParent().resolve("ric-jni").resolve(name);
            synchronized (Launcher.class) {
                if (Files.exists(target)) {
                    return target;
                }
                String jar = java.util.Arrays.stream(ricClasspath.split(java.io.File.pathSeparator))
                        .filter(p -> p.contains("runtime-interface-client")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("the Runtime Interface Client is not on lambda.ric.classpath"));
                try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar)) {
                    Files.createDirectories(target.getParent());
                    Path tmp = Files.createTempFile(target.getParent(), name, ".tmp");
                    try (var in = zip.getInputStream(zip.getEntry("jni/" + name))) {
                        Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    return target;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }

    static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private final Process process;
    private final Path log;

    private FunctionProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code function} (fetch or webhook). Only the given environment reaches it, plus PATH
     * and HOME, so a developer's own AWS or cartola variables cannot leak into a local run.
     */
    public static FunctionProcess start(String function, Launcher launcher, RuntimeApi api, Map<String, String> env,
            Path log) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(launcher.command()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        Map<String, String> keep = new HashMap<>();
        for (String name : List.of("PATH", "HOME", "JAVA_HOME", "LANG", "TMPDIR")) {
            if (System.getenv(name) != null) {
                keep.put(name, System.getenv(name));
            }
        }
        environment.clear();
        environment.putAll(keep);
        environment.put("AWS_LAMBDA_RUNTIME_API", api.address());
        environment.put("QUARKUS_FUNQY_EXPORT", function);
        environment.put("AWS_LAMBDA_FUNCTION_NAME", "cartola-" + function);
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256");
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        environment.put("AWS_REGION", "us-east-1");
        environment.put("_HANDLER", HANDLER);
        environment.put("LAMBDA_TASK_ROOT", Path.of("").toAbsolutePath().toString());
        environment.putAll(env);
        return new FunctionProcess(builder.start(), log);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The last lines of the process's output, for error messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
